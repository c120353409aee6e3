// /admin: the admin pages by section.
export const adminHome = {
  title: "Administración",
  intro: "Todas las páginas de administración de la mesa de ayuda.",
  sections: { people: "Personas y equipos", support: "Proceso de soporte", mail: "Correo", kb: "Base de conocimientos", settings: "Ajustes" },
  pages: {
    teams: { title: "Equipos", description: "Equipos de agentes: los tickets se pueden pasar a un equipo y sus miembros los ven en «Mi equipo»." },
    sla: { title: "SLA", description: "Horario laboral, festivos y plazos de primera respuesta y resolución por prioridad." },
    cannedReplies: { title: "Respuestas predefinidas", description: "Textos que los agentes insertan en sus respuestas, con marcadores como el nombre del cliente." },
    evaluations: { title: "Evaluaciones", description: "Cómo valoran los clientes las respuestas, por agente, sus comentarios y las consultas que resolvió un artículo." },
    inbound: { title: "Correo entrante", description: "Correos recibidos que necesitan revisión, y bucles de correo detenidos." },
    imapMailboxes: { title: "Buzones IMAP", description: "Buzones de los que se recoge el correo de soporte." },
    mailbox: { title: "Correo enviado", description: "Registro de los correos que ha enviado la mesa de ayuda." },
    synonyms: { title: "Sinónimos", description: "Palabras equivalentes para la búsqueda de artículos." },
    settings: { title: "Ajustes", description: "Nombre del equipo, direcciones de soporte, idioma y zona horaria por defecto, y registro de clientes." },
    mailTemplates: { title: "Plantillas de correo", description: "El asunto y el cuerpo de cada correo que se envía, en cada idioma, con vista previa." },
    portalTexts: { title: "Textos del portal", description: "La introducción del inicio del portal y de la página de nuevo ticket." },
    audit: { title: "Auditoría", description: "Quién cambió qué y cuándo en la administración, con el antes y el después." },
    categories: { title: "Categorías", description: "Los motivos entre los que elige el cliente al crear un ticket, y los campos de cada uno." },
    products: { title: "Productos", description: "Los productos que el cliente busca al crear un ticket." },
    api: { title: "API de integración", description: "Tokens de la API (personales y de servicio), su último uso, y la referencia de /api/v1." },
  },
} as const;
