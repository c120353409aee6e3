// The knowledge base bench/kb.ts indexes and searches: help-desk articles in Spanish and English
// (printers, passwords, VPN, invoices…), written from topic vocabularies and sentence templates,
// with Markdown headings and numbered steps, model names and error codes. And the queries people
// type: 1–4 words, Spanish often without accents, 10% with one typo. Everything comes from a
// seeded generator, so two runs index and search the same things.

/** mulberry32: small, fast, seeded. Returns floats in [0, 1). */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
type Rand = () => number;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const between = (r: Rand, lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));

export type Lang = "es" | "en";

interface TopicText {
  /** Noun phrases with their article, for sentences and titles ("la impresora de red"). */
  things: string[];
  /** Infinitives ("configurar"). */
  actions: string[];
  /** Complete clauses that can follow "si…" / "when…" ("la impresora no imprime"). */
  problems: string[];
  /** Bare words people search with. */
  terms: string[];
  tags: string[];
}

interface Topic {
  category: string;
  es: TopicText;
  en: TopicText;
}

export const CATEGORIES = [
  { id: "bench-kb-hardware", slug: "hardware", nameEs: "Equipos y periféricos", nameEn: "Hardware" },
  { id: "bench-kb-accounts", slug: "cuentas", nameEs: "Cuentas y acceso", nameEn: "Accounts and access" },
  { id: "bench-kb-mail", slug: "correo", nameEs: "Correo y calendario", nameEn: "Email and calendar" },
  { id: "bench-kb-network", slug: "redes", nameEs: "Redes y conexión", nameEn: "Networks" },
  { id: "bench-kb-billing", slug: "facturacion", nameEs: "Facturación", nameEn: "Billing" },
  { id: "bench-kb-software", slug: "software", nameEs: "Aplicaciones", nameEn: "Software" },
  { id: "bench-kb-security", slug: "seguridad", nameEs: "Seguridad", nameEn: "Security" },
  { id: "bench-kb-mobile", slug: "movil", nameEs: "Móvil", nameEn: "Mobile" },
] as const;

const TOPICS: Topic[] = [
  {
    category: "bench-kb-hardware",
    es: {
      things: ["la impresora", "la impresora de red", "el tóner", "el cartucho de tinta", "la cola de impresión", "el controlador de la impresora", "el escáner"],
      actions: ["configurar", "instalar", "reiniciar", "compartir", "actualizar", "limpiar"],
      problems: ["la impresora no imprime", "el papel se atasca", "la impresión sale en blanco", "el escáner no detecta el documento", "la cola de impresión se queda bloqueada"],
      terms: ["impresora", "imprimir", "tóner", "cartucho", "atasco", "papel", "escáner", "escanear", "controlador", "impresión", "bandeja", "tinta"],
      tags: ["impresora", "impresión", "periféricos", "escáner", "tóner"],
    },
    en: {
      things: ["the printer", "the network printer", "the toner", "the ink cartridge", "the print queue", "the printer driver", "the scanner"],
      actions: ["set up", "install", "restart", "share", "update", "clean"],
      problems: ["the printer does not print", "paper keeps jamming", "pages come out blank", "the scanner does not detect the document", "the print queue is stuck"],
      terms: ["printer", "print", "toner", "cartridge", "jam", "paper", "scanner", "scan", "driver", "printing", "tray", "ink"],
      tags: ["printer", "printing", "peripherals", "scanner", "toner"],
    },
  },
  {
    category: "bench-kb-accounts",
    es: {
      things: ["la contraseña", "la cuenta de usuario", "la verificación en dos pasos", "el inicio de sesión", "el perfil", "los permisos de acceso"],
      actions: ["restablecer", "cambiar", "recuperar", "desbloquear", "activar", "proteger"],
      problems: ["no puede iniciar sesión", "la cuenta está bloqueada", "olvidó su contraseña", "no recibe el código de verificación", "la sesión caduca continuamente"],
      terms: ["contraseña", "cuenta", "sesión", "usuario", "bloqueada", "verificación", "código", "acceso", "perfil", "permisos", "autenticación", "clave"],
      tags: ["contraseña", "cuenta", "acceso", "seguridad", "autenticación"],
    },
    en: {
      things: ["your password", "the user account", "two-step verification", "the sign-in page", "your profile", "access permissions"],
      actions: ["reset", "change", "recover", "unlock", "enable", "protect"],
      problems: ["you cannot sign in", "the account is locked", "you forgot your password", "the verification code never arrives", "the session keeps expiring"],
      terms: ["password", "account", "login", "sign", "locked", "verification", "code", "access", "profile", "permissions", "authentication", "username"],
      tags: ["password", "account", "access", "security", "authentication"],
    },
  },
  {
    category: "bench-kb-mail",
    es: {
      things: ["el correo electrónico", "el buzón", "la bandeja de entrada", "los archivos adjuntos", "la firma de correo", "el reenvío automático", "la carpeta de spam"],
      actions: ["configurar", "sincronizar", "recuperar", "vaciar", "organizar", "reenviar"],
      problems: ["no llegan los correos", "el buzón está lleno", "los mensajes acaban en spam", "no se pueden enviar adjuntos grandes", "Outlook pide la contraseña continuamente"],
      terms: ["correo", "buzón", "adjunto", "outlook", "spam", "firma", "mensaje", "bandeja", "reenvío", "destinatario", "enviar", "recibir"],
      tags: ["correo", "outlook", "buzón", "spam", "adjuntos"],
    },
    en: {
      things: ["email", "the mailbox", "the inbox", "attachments", "your email signature", "automatic forwarding", "the spam folder"],
      actions: ["set up", "sync", "recover", "empty", "organize", "forward"],
      problems: ["emails are not arriving", "the mailbox is full", "messages end up in spam", "large attachments cannot be sent", "Outlook keeps asking for the password"],
      terms: ["email", "mailbox", "attachment", "outlook", "spam", "signature", "message", "inbox", "forwarding", "recipient", "send", "receive"],
      tags: ["email", "outlook", "mailbox", "spam", "attachments"],
    },
  },
  {
    category: "bench-kb-network",
    es: {
      things: ["la red wifi", "la conexión VPN", "el router", "el cable de red", "la dirección IP", "el proxy", "la conexión remota"],
      actions: ["conectar", "configurar", "reiniciar", "diagnosticar", "renovar", "desconectar"],
      problems: ["no hay conexión a internet", "la VPN se desconecta", "la wifi va muy lenta", "el equipo no obtiene dirección IP", "no se puede acceder a la red de la oficina"],
      terms: ["wifi", "vpn", "red", "conexión", "router", "internet", "señal", "inalámbrica", "cable", "proxy", "remoto", "velocidad"],
      tags: ["red", "wifi", "vpn", "conexión", "internet"],
    },
    en: {
      things: ["the wifi network", "the VPN connection", "the router", "the network cable", "the IP address", "the proxy", "remote access"],
      actions: ["connect", "configure", "restart", "troubleshoot", "renew", "disconnect"],
      problems: ["there is no internet connection", "the VPN keeps disconnecting", "the wifi is very slow", "the computer gets no IP address", "the office network is unreachable"],
      terms: ["wifi", "vpn", "network", "connection", "router", "internet", "signal", "wireless", "cable", "proxy", "remote", "speed"],
      tags: ["network", "wifi", "vpn", "connection", "internet"],
    },
  },
  {
    category: "bench-kb-billing",
    es: {
      things: ["la factura", "el método de pago", "la suscripción", "el reembolso", "los datos fiscales", "el plan contratado", "la tarjeta de crédito"],
      actions: ["descargar", "cambiar", "cancelar", "solicitar", "actualizar", "consultar"],
      problems: ["el pago ha sido rechazado", "la factura tiene datos incorrectos", "se ha cobrado dos veces", "no encuentra la factura del mes anterior", "la suscripción no se renueva"],
      terms: ["factura", "pago", "tarjeta", "suscripción", "reembolso", "cobro", "plan", "precio", "fiscal", "recibo", "renovación", "descuento"],
      tags: ["facturación", "pagos", "suscripción", "factura", "reembolso"],
    },
    en: {
      things: ["the invoice", "the payment method", "your subscription", "a refund", "billing details", "your plan", "the credit card"],
      actions: ["download", "change", "cancel", "request", "update", "check"],
      problems: ["the payment was declined", "the invoice shows wrong details", "you were charged twice", "last month's invoice is missing", "the subscription does not renew"],
      terms: ["invoice", "payment", "card", "subscription", "refund", "charge", "plan", "price", "billing", "receipt", "renewal", "discount"],
      tags: ["billing", "payments", "subscription", "invoice", "refund"],
    },
  },
  {
    category: "bench-kb-software",
    es: {
      things: ["la aplicación de escritorio", "la licencia", "la actualización", "el navegador", "la caché del navegador", "el paquete de Office", "la hoja de cálculo"],
      actions: ["instalar", "desinstalar", "actualizar", "activar", "borrar", "exportar"],
      problems: ["la aplicación se cierra sola", "la instalación falla con un error", "la licencia ha caducado", "el navegador muestra una página en blanco", "la actualización se queda al 99%"],
      terms: ["aplicación", "instalar", "licencia", "actualización", "navegador", "caché", "office", "excel", "versión", "error", "exportar", "programa"],
      tags: ["software", "instalación", "licencias", "navegador", "office"],
    },
    en: {
      things: ["the desktop app", "the license", "the update", "the browser", "the browser cache", "the Office suite", "the spreadsheet"],
      actions: ["install", "uninstall", "update", "activate", "clear", "export"],
      problems: ["the app crashes on start", "the installation fails with an error", "the license has expired", "the browser shows a blank page", "the update hangs at 99%"],
      terms: ["app", "install", "license", "update", "browser", "cache", "office", "excel", "version", "error", "export", "software"],
      tags: ["software", "installation", "licenses", "browser", "office"],
    },
  },
  {
    category: "bench-kb-security",
    es: {
      things: ["el antivirus", "el correo sospechoso", "la copia de seguridad", "el cifrado del disco", "el certificado digital", "el cortafuegos"],
      actions: ["activar", "revisar", "restaurar", "denunciar", "renovar", "configurar"],
      problems: ["ha recibido un correo de phishing", "el antivirus detecta una amenaza", "no se puede restaurar la copia de seguridad", "el certificado digital ha caducado", "el cortafuegos bloquea una aplicación"],
      terms: ["antivirus", "phishing", "virus", "copia", "seguridad", "restaurar", "cifrado", "certificado", "cortafuegos", "amenaza", "malware", "sospechoso"],
      tags: ["seguridad", "phishing", "antivirus", "copias", "certificados"],
    },
    en: {
      things: ["the antivirus", "a suspicious email", "the backup", "disk encryption", "the digital certificate", "the firewall"],
      actions: ["enable", "review", "restore", "report", "renew", "configure"],
      problems: ["you received a phishing email", "the antivirus found a threat", "the backup cannot be restored", "the digital certificate has expired", "the firewall blocks an app"],
      terms: ["antivirus", "phishing", "virus", "backup", "security", "restore", "encryption", "certificate", "firewall", "threat", "malware", "suspicious"],
      tags: ["security", "phishing", "antivirus", "backups", "certificates"],
    },
  },
  {
    category: "bench-kb-mobile",
    es: {
      things: ["la aplicación móvil", "las notificaciones", "el teléfono móvil", "la sincronización", "la tableta", "el buzón de voz"],
      actions: ["descargar", "activar", "sincronizar", "configurar", "restablecer", "vincular"],
      problems: ["no llegan las notificaciones", "la aplicación móvil no sincroniza", "el móvil no reconoce la cuenta", "la batería se agota muy rápido", "la aplicación no se instala en Android"],
      terms: ["móvil", "android", "iphone", "notificaciones", "sincronizar", "tableta", "batería", "teléfono", "llamada", "aplicación", "pantalla", "bluetooth"],
      tags: ["móvil", "android", "iphone", "notificaciones", "sincronización"],
    },
    en: {
      things: ["the mobile app", "notifications", "the phone", "sync", "the tablet", "voicemail"],
      actions: ["download", "enable", "sync", "set up", "reset", "pair"],
      problems: ["notifications do not arrive", "the mobile app does not sync", "the phone does not recognise the account", "the battery drains very fast", "the app will not install on Android"],
      terms: ["mobile", "android", "iphone", "notifications", "sync", "tablet", "battery", "phone", "call", "app", "screen", "bluetooth"],
      tags: ["mobile", "android", "iphone", "notifications", "sync"],
    },
  },
  {
    category: "bench-kb-hardware",
    es: {
      things: ["el portátil", "la pantalla externa", "el teclado", "el ratón", "el cargador", "la cámara web", "los auriculares"],
      actions: ["conectar", "configurar", "sustituir", "calibrar", "reparar", "actualizar"],
      problems: ["el portátil no enciende", "la pantalla se queda en negro", "el teclado no responde", "la cámara no funciona en las videollamadas", "el micrófono no se oye"],
      terms: ["portátil", "pantalla", "monitor", "teclado", "ratón", "cargador", "cámara", "micrófono", "auriculares", "batería", "usb", "videollamada"],
      tags: ["hardware", "portátil", "pantalla", "videollamadas", "periféricos"],
    },
    en: {
      things: ["the laptop", "the external monitor", "the keyboard", "the mouse", "the charger", "the webcam", "the headset"],
      actions: ["connect", "configure", "replace", "calibrate", "repair", "update"],
      problems: ["the laptop will not turn on", "the screen goes black", "the keyboard does not respond", "the camera does not work in video calls", "nobody can hear the microphone"],
      terms: ["laptop", "screen", "monitor", "keyboard", "mouse", "charger", "camera", "microphone", "headset", "battery", "usb", "video"],
      tags: ["hardware", "laptop", "monitor", "video-calls", "peripherals"],
    },
  },
  {
    category: "bench-kb-software",
    es: {
      things: ["la carpeta compartida", "el almacenamiento en la nube", "el documento compartido", "el historial de versiones", "la papelera", "la cuota de almacenamiento"],
      actions: ["compartir", "recuperar", "sincronizar", "mover", "restaurar", "liberar"],
      problems: ["no puede abrir un archivo compartido", "un archivo se ha borrado por error", "la cuota de almacenamiento está llena", "la carpeta no se sincroniza", "aparecen archivos duplicados"],
      terms: ["carpeta", "archivo", "documento", "nube", "compartir", "almacenamiento", "papelera", "versiones", "sincronización", "cuota", "drive", "permisos"],
      tags: ["archivos", "nube", "almacenamiento", "compartir", "documentos"],
    },
    en: {
      things: ["the shared folder", "cloud storage", "the shared document", "version history", "the recycle bin", "the storage quota"],
      actions: ["share", "recover", "sync", "move", "restore", "free up"],
      problems: ["you cannot open a shared file", "a file was deleted by mistake", "the storage quota is full", "the folder does not sync", "duplicate files appear"],
      terms: ["folder", "file", "document", "cloud", "share", "storage", "recycle", "versions", "sync", "quota", "drive", "permissions"],
      tags: ["files", "cloud", "storage", "sharing", "documents"],
    },
  },
  {
    category: "bench-kb-mail",
    es: {
      things: ["el calendario", "la reunión", "la sala de reuniones", "la invitación", "la videoconferencia", "la agenda compartida"],
      actions: ["programar", "compartir", "cancelar", "reservar", "aceptar", "mover"],
      problems: ["la reunión no aparece en el calendario", "las invitaciones llegan con la hora equivocada", "no se puede reservar la sala", "la videoconferencia se corta", "el calendario compartido no se actualiza"],
      terms: ["calendario", "reunión", "sala", "invitación", "videoconferencia", "agenda", "evento", "horario", "teams", "zoom", "recordatorio", "disponibilidad"],
      tags: ["calendario", "reuniones", "videoconferencia", "agenda", "teams"],
    },
    en: {
      things: ["the calendar", "the meeting", "the meeting room", "the invitation", "the video conference", "the shared calendar"],
      actions: ["schedule", "share", "cancel", "book", "accept", "move"],
      problems: ["the meeting is missing from the calendar", "invitations show the wrong time", "the room cannot be booked", "the video conference drops", "the shared calendar does not update"],
      terms: ["calendar", "meeting", "room", "invitation", "conference", "schedule", "event", "timezone", "teams", "zoom", "reminder", "availability"],
      tags: ["calendar", "meetings", "video-conference", "schedule", "teams"],
    },
  },
  {
    category: "bench-kb-billing",
    es: {
      things: ["el pedido", "el envío", "la devolución", "el número de seguimiento", "la dirección de entrega", "la garantía"],
      actions: ["consultar", "modificar", "cancelar", "tramitar", "rastrear", "reclamar"],
      problems: ["el pedido no ha llegado", "el paquete llegó dañado", "la devolución no se ha abonado", "el número de seguimiento no funciona", "la dirección de entrega es incorrecta"],
      terms: ["pedido", "envío", "devolución", "seguimiento", "entrega", "paquete", "garantía", "transportista", "plazo", "dirección", "producto", "reclamación"],
      tags: ["pedidos", "envíos", "devoluciones", "garantía", "entregas"],
    },
    en: {
      things: ["the order", "shipping", "the return", "the tracking number", "the delivery address", "the warranty"],
      actions: ["check", "change", "cancel", "process", "track", "claim"],
      problems: ["the order has not arrived", "the parcel arrived damaged", "the return was not refunded", "the tracking number does not work", "the delivery address is wrong"],
      terms: ["order", "shipping", "return", "tracking", "delivery", "parcel", "warranty", "carrier", "deadline", "address", "product", "claim"],
      tags: ["orders", "shipping", "returns", "warranty", "delivery"],
    },
  },
];

const GENERAL_TAGS: Record<Lang, string[]> = {
  es: ["windows", "macos", "linux", "principiante", "avanzado", "oficina", "teletrabajo", "administradores", "preguntas-frecuentes", "guía"],
  en: ["windows", "macos", "linux", "beginner", "advanced", "office", "remote-work", "admins", "faq", "guide"],
};

const PLATFORMS: Record<Lang, string[]> = {
  es: ["Windows 11", "Windows 10", "macOS", "Ubuntu", "Android", "iOS", "el portal web", "la aplicación de escritorio"],
  en: ["Windows 11", "Windows 10", "macOS", "Ubuntu", "Android", "iOS", "the web portal", "the desktop app"],
};
const MENUS: Record<Lang, string[]> = {
  es: ["Configuración", "Preferencias", "el Panel de control", "Ajustes del sistema", "el menú Cuenta", "Herramientas", "Opciones avanzadas"],
  en: ["Settings", "Preferences", "the Control Panel", "System Settings", "the Account menu", "Tools", "Advanced options"],
};
const OPTIONS: Record<Lang, string[]> = {
  es: ["Guardar", "Aplicar", "Restablecer", "Avanzado", "Conexiones", "Seguridad", "Aceptar", "Siguiente"],
  en: ["Save", "Apply", "Reset", "Advanced", "Connections", "Security", "OK", "Next"],
};
const MODELS = ["HP LaserJet M404", "Brother HL-L2350", "Canon PIXMA G650", "Epson EcoTank 2850", "Dell Latitude 5440", "Lenovo ThinkPad T14", "MacBook Air M2", "Cisco AnyConnect", "FortiClient 7.2", "Samsung Galaxy S23", "iPhone 14", "Logitech C920", "Jabra Evolve2 40", "Ubiquiti UniFi 6"];

const TITLES: Record<Lang, string[]> = {
  es: ["Cómo {action} {thing}", "Qué hacer si {problem}", "Solucionar: {problem}", "{Thing}: preguntas frecuentes", "{Action} {thing} paso a paso", "Error al {action} {thing}", "Guía para {action} {thing} en {platform}", "{Thing} en {platform}"],
  en: ["How to {action} {thing}", "What to do when {problem}", "Fix: {problem}", "{Thing}: frequently asked questions", "{Action} {thing} step by step", "Error when trying to {action} {thing}", "Guide: {action} {thing} on {platform}", "{Thing} on {platform}"],
};

const SENTENCES: Record<Lang, string[]> = {
  es: [
    "Este artículo explica cómo {action} {thing} en {platform}.",
    "Si {problem}, siga estos pasos antes de abrir un ticket.",
    "Antes de empezar, compruebe el estado de {thing} y que el equipo tiene conexión.",
    "Abra {menu} y seleccione la opción «{option}».",
    "En {platform}, vaya a {menu} y pulse «{option}» para {action} {thing}.",
    "Muchos usuarios nos cuentan que {problem} después de una actualización de {platform}.",
    "Reinicie el equipo y vuelva a intentar {action} {thing}.",
    "Si el problema persiste, abra un ticket e indique el código de error {code}.",
    "Tenga en cuenta que los cambios pueden tardar unos minutos en aplicarse.",
    "Para {action} {thing} necesita permisos de administrador en el equipo.",
    "Anote el mensaje de error que aparece en pantalla y adjunte una captura al ticket.",
    "Revise también {thing2}, porque a menudo está relacionado con {thing}.",
    "En el modelo {model} la opción está en {menu}.",
    "La configuración recomendada para {thing} es la que viene por defecto.",
    "No comparta nunca su contraseña, ni siquiera con el personal de soporte.",
    "Si trabaja desde casa, conecte primero la VPN de la empresa.",
    "El equipo de soporte atiende de lunes a viernes, de 8:00 a 18:00.",
    "Cuando termine, cierre la sesión y vuelva a entrar para comprobar que todo funciona.",
    "Si {problem}, lo más habitual es que falte una actualización pendiente.",
    "Puede consultar el historial de cambios de {thing} desde {menu}.",
    "Algunos clientes con {model} han resuelto el problema al {action} {thing}.",
    "Recuerde guardar su trabajo antes de reiniciar.",
    "Si ve el error {code}, espere cinco minutos y vuelva a intentarlo.",
    "Este procedimiento es válido para {platform} y versiones posteriores.",
  ],
  en: [
    "This article explains how to {action} {thing} on {platform}.",
    "If {problem}, follow these steps before opening a ticket.",
    "Before you start, check the status of {thing} and make sure the computer is online.",
    "Open {menu} and choose the “{option}” option.",
    "On {platform}, go to {menu} and click “{option}” to {action} {thing}.",
    "Many users tell us that {problem} after an update of {platform}.",
    "Restart the computer and try to {action} {thing} again.",
    "If the problem persists, open a ticket and include the error code {code}.",
    "Keep in mind that changes can take a few minutes to apply.",
    "You need administrator rights on the computer to {action} {thing}.",
    "Write down the error message on the screen and attach a screenshot to the ticket.",
    "Also check {thing2}, as it is often related to {thing}.",
    "On the {model} the option is under {menu}.",
    "The recommended configuration for {thing} is the default one.",
    "Never share your password, not even with the support staff.",
    "If you work from home, connect to the company VPN first.",
    "The support team is available Monday to Friday, 8:00 to 18:00.",
    "When you are done, sign out and sign in again to check that everything works.",
    "If {problem}, the most common cause is a pending update.",
    "You can see the change history of {thing} from {menu}.",
    "Some customers with a {model} solved it when they decided to {action} {thing}.",
    "Remember to save your work before restarting.",
    "If you see the error {code}, wait five minutes and try again.",
    "These steps apply to {platform} and later versions.",
  ],
};
const STEPS: Record<Lang, string[]> = {
  es: ["Abra {menu}.", "Seleccione {thing} en la lista.", "Pulse «{option}».", "Espere a que termine el proceso.", "Reinicie {platform_short} si se le pide.", "Compruebe que {thing} funciona correctamente."],
  en: ["Open {menu}.", "Select {thing} in the list.", "Click “{option}”.", "Wait until the process finishes.", "Restart {platform_short} if asked.", "Check that {thing} works properly."],
};
const HEADINGS: Record<Lang, string[]> = {
  es: ["Requisitos", "Pasos", "Solución de problemas", "Más información", "Antes de empezar", "Preguntas frecuentes"],
  en: ["Requirements", "Steps", "Troubleshooting", "More information", "Before you start", "FAQ"],
};

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function fill(r: Rand, template: string, lang: Lang, topic: TopicText, other: TopicText): string {
  return template.replace(/\{(\w+)\}/g, (_, key: string) => {
    switch (key) {
      case "thing": return pick(r, topic.things);
      case "Thing": return cap(pick(r, topic.things));
      case "thing2": return pick(r, other.things);
      case "action": return pick(r, topic.actions);
      case "Action": return cap(pick(r, topic.actions));
      case "problem": return pick(r, topic.problems);
      case "platform": return pick(r, PLATFORMS[lang]);
      case "platform_short": return lang === "es" ? "el equipo" : "the computer";
      case "menu": return pick(r, MENUS[lang]);
      case "option": return pick(r, OPTIONS[lang]);
      case "model": return pick(r, MODELS);
      case "code": return pick(r, ["0x", "E-", "ERR_"]) + Math.floor(r() * 0xfffff).toString(16).toUpperCase();
      default: return key;
    }
  });
}

export interface GeneratedArticle {
  language: Lang;
  title: string;
  slug: string;
  bodyMarkdown: string;
  tags: string[];
  categoryId: string;
  words: number;
}

const countWords = (s: string) => (s.match(/[\p{L}\p{N}]+/gu) ?? []).length;

/** Article `i` of the set: language alternates in blocks, topic and length come from the seed. */
export function generateArticle(r: Rand, i: number): GeneratedArticle {
  const language: Lang = r() < 0.55 ? "es" : "en";
  const topicIndex = Math.floor(r() * TOPICS.length);
  const topic = TOPICS[topicIndex]!;
  const t = topic[language];
  const other = TOPICS[(topicIndex + 1 + Math.floor(r() * (TOPICS.length - 1))) % TOPICS.length]![language];
  const title = fill(r, pick(r, TITLES[language]), language, t, other);
  const target = between(r, 300, 2000);
  const parts: string[] = [];
  let words = 0;
  let section = 0;
  while (words < target) {
    let block: string;
    if (section % 3 === 1) {
      const steps = between(r, 3, 6);
      block = Array.from({ length: steps }, (_, k) => `${k + 1}. ${fill(r, pick(r, STEPS[language]), language, t, other)}`).join("\n");
    } else {
      const n = between(r, 3, 7);
      block = Array.from({ length: n }, () => fill(r, pick(r, SENTENCES[language]), language, t, other)).join(" ");
    }
    if (section % 3 === 0) block = `## ${pick(r, HEADINGS[language])}\n\n${block}`;
    parts.push(block);
    words += countWords(block);
    section++;
  }
  const tags = new Set<string>();
  while (tags.size < 4) tags.add(pick(r, t.tags));
  while (tags.size < 5) tags.add(pick(r, GENERAL_TAGS[language]));
  return {
    language,
    title,
    slug: `kb-${i.toString(36)}`,
    bodyMarkdown: parts.join("\n\n"),
    tags: [...tags],
    categoryId: topic.category,
    words,
  };
}

const STOPWORDS: Record<Lang, string[]> = { es: ["cómo", "la", "el", "no", "de", "mi"], en: ["how", "to", "the", "my", "not", "a"] };

export const stripAccents = (s: string) => s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").normalize("NFC");

/** One edit: swap two neighbours, drop, double or replace a letter (never the first). */
export function typo(r: Rand, word: string): string {
  for (let attempt = 0; attempt < 5; attempt++) {
    const t = oneEdit(r, word);
    if (t !== word) return t;
  }
  return `${word}x`;
}

function oneEdit(r: Rand, word: string): string {
  const i = 1 + Math.floor(r() * (word.length - 2));
  switch (Math.floor(r() * 4)) {
    case 0: return word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2);
    case 1: return word.slice(0, i) + word.slice(i + 1);
    case 2: return word.slice(0, i) + word[i] + word.slice(i);
    default: return word.slice(0, i) + pick(r, "aeiourstnl".split("").filter((c) => c !== word[i])) + word.slice(i + 1);
  }
}

export interface GeneratedQuery {
  q: string;
  language: Lang;
  typo: boolean;
  words: number;
}

/** What people type in a help centre's search box: 1–4 words from a topic, sometimes a phrase. */
export function generateQuery(r: Rand): GeneratedQuery {
  const language: Lang = r() < 0.55 ? "es" : "en";
  const t = pick(r, TOPICS)[language];
  const n = pick(r, [1, 1, 2, 2, 2, 3, 3, 4]);
  let words: string[];
  const shape = r();
  if (shape < 0.45) {
    const set = new Set<string>();
    while (set.size < n) set.add(pick(r, [...t.terms, ...t.terms, ...t.tags]));
    words = [...set];
  } else if (shape < 0.75) {
    words = [...pick(r, t.actions).split(" "), ...pick(r, t.things).split(" ").filter((w) => !["el", "la", "los", "las", "the", "your", "a"].includes(w))];
  } else {
    // A piece of a problem as people phrase it ("no recibe el código"), never stop words alone.
    const phrase = pick(r, t.problems).split(" ");
    const start = Math.floor(r() * Math.max(1, phrase.length - n));
    words = phrase.slice(start, start + n);
    if (!words.some((w) => w.length >= 5)) words = [...words.slice(0, 3), phrase.find((w) => w.length >= 5) ?? pick(r, t.terms)];
  }
  if (words.length > 4) words = words.slice(0, 4);
  if (words.length < 4 && n >= 3 && r() < 0.3) words.unshift(pick(r, STOPWORDS[language]));
  words = words.map((w) => w.toLowerCase());
  if (language === "es" && r() < 0.35) words = words.map(stripAccents);
  let hasTypo = false;
  if (r() < 0.1) {
    const candidates = words.map((w, k) => [w, k] as const).filter(([w]) => w.length >= 5);
    if (candidates.length) {
      const [w, k] = pick(r, candidates);
      words[k] = typo(r, w);
      hasTypo = true;
    } else {
      words.push(typo(r, pick(r, t.terms.filter((w) => w.length >= 5))));
      hasTypo = true;
    }
  }
  return { q: words.slice(0, 4).join(" "), language, typo: hasTypo, words: Math.min(4, words.length) };
}

/** The synonym groups the bench configures (what an admin would). */
export const SYNONYMS: Record<Lang, string[][]> = {
  es: [["contraseña", "clave"], ["correo", "email", "e-mail"], ["portátil", "laptop"], ["móvil", "celular", "teléfono"], ["wifi", "inalámbrica"]],
  en: [["email", "e-mail", "mail"], ["laptop", "notebook"], ["mobile", "cellphone", "phone"], ["sign", "login", "log"]],
};
