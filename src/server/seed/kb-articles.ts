import type { Deps } from "~/server/modules/deps";
import { createArticle, setArticlePublished } from "~/server/modules/kb/articles";

/**
 * The demo's help centre: articles on what the seeds' customers ask about (printers, VPN, invoices,
 * passwords, warranties, how to open a ticket), in Spanish, a few translated into English. English
 * readers see the Spanish article where no translation exists (kb/visible.ts).
 */
interface DemoArticle {
  slug: string;
  category: string;
  title: string;
  tags: string[];
  body: string;
  en?: { slug: string; title: string; tags: string[]; body: string };
}

const SECTIONS = [{ slug: "facturacion-y-garantias", nameEs: "Facturación y garantías", nameEn: "Billing and warranties", position: 6 }];

export const DEMO_ARTICLES: DemoArticle[] = [
  {
    slug: "como-crear-un-ticket",
    category: "primeros-pasos",
    title: "Cómo crear un ticket",
    tags: ["ticket", "portal", "correo"],
    body: `Puede pedirnos ayuda de dos formas.

## Por el portal

1. Entre en el portal con su correo y su contraseña.
2. Pulse «Agregar ticket».
3. Escriba un asunto y una descripción del problema, elija la prioridad y la categoría.
4. Pulse «Enviar».

## Por correo

Escriba a **soporte@ventanilla.test** con un asunto y la descripción. Puede adjuntar archivos que sumen menos de 20 MB.
Recibirá un correo con el número del ticket y su ID de seguimiento.`,
    en: {
      slug: "how-to-open-a-ticket",
      title: "How to open a ticket",
      tags: ["ticket", "portal", "mail"],
      body: `You can ask us for help in two ways.

## On the portal

1. Sign in to the portal with your address and password.
2. Choose «New ticket».
3. Write a subject and a description of the problem, choose the priority and the category.
4. Press «Send».

## By mail

Write to **soporte@ventanilla.test** with a subject and the description. Attachments may add up to 20 MB.
You will receive a mail with the ticket's number and its tracking ID.`,
    },
  },
  {
    slug: "la-impresora-no-imprime",
    category: "equipos-e-impresoras",
    title: "La impresora no imprime",
    tags: ["impresora", "error", "cola de impresión"],
    body: `Si la impresora no imprime o muestra un error:

1. Compruebe que está encendida y tiene papel.
2. Apáguela, espere diez segundos y vuelva a encenderla.
3. En el ordenador, abra la cola de impresión y cancele los documentos atascados.
4. Si aparece «Error 50.4», desenchúfela un minuto: es un fallo de alimentación.

Si el problema sigue, abra un ticket indicando el modelo y el mensaje de error.`,
  },

  {
    slug: "prioridades-de-un-ticket",
    category: "primeros-pasos",
    title: "Qué prioridad elegir para su ticket",
    tags: ["prioridad", "ticket"],
    body: `La prioridad nos ayuda a atender primero lo más urgente:

- **Alta**: problemas que **detienen totalmente el trabajo** (nadie puede facturar, el servidor no responde).
- **Media**: problemas que detienen **parcialmente** el trabajo (una impresora de varias, un programa lento).
- **Baja**: consultas y problemas que **no detienen** el trabajo.

Los tickets se atienden en el orden en que se reciben dentro de cada prioridad.`,
    en: {
      slug: "ticket-priorities",
      title: "Which priority to choose for your ticket",
      tags: ["priority", "ticket"],
      body: `The priority helps us handle the most urgent first:

- **High**: problems that **stop work completely** (nobody can invoice, the server does not answer).
- **Medium**: problems that stop work **partially** (one printer of several, a slow program).
- **Low**: questions and problems that **do not stop** work.

Tickets are handled in the order they arrive within each priority.`,
    },
  },
  {
    slug: "seguir-el-estado-de-un-ticket",
    category: "primeros-pasos",
    title: "Cómo seguir el estado de un ticket",
    tags: ["ticket", "estado", "portal"],
    body: `En **Mis tickets** verá todos sus tickets con su estado:

- **Abierto**: lo hemos recibido y está en la lista de espera.
- **En curso**: un agente trabaja en él.
- **Esperando al cliente**: necesitamos información suya; responda desde el ticket o por correo.
- **Resuelto**: le hemos enviado la solución. Puede decirnos si le ayudó.
- **Cerrado**: terminado. Si el problema vuelve, responda y se abrirá un ticket que continúa el anterior.`,
    en: {
      slug: "following-a-ticket",
      title: "How to follow a ticket's status",
      tags: ["ticket", "status", "portal"],
      body: `**My tickets** lists every ticket of yours with its status:

- **Open**: received, waiting in line.
- **In progress**: an agent is working on it.
- **Waiting on you**: we need information from you; answer on the ticket or by mail.
- **Resolved**: we sent you the solution. Tell us whether it helped.
- **Closed**: finished. If the problem comes back, reply and a ticket that continues it is opened.`,
    },
  },
  {
    slug: "responder-por-correo",
    category: "primeros-pasos",
    title: "Responder a un ticket por correo",
    tags: ["correo", "ticket", "respuesta"],
    body: `Puede contestar a cualquier correo que le enviemos sobre un ticket: su respuesta se añade al mismo ticket.

- **No cambie el asunto**: contiene el número del ticket, por ejemplo \`[#1234]\`.
- No abra un ticket nuevo para responder a uno anterior.
- Puede adjuntar archivos que sumen menos de 20 MB.`,
  },
  {
    slug: "normas-de-cortesia",
    category: "primeros-pasos",
    title: "Cómo escribir un ticket que se resuelve rápido",
    tags: ["ticket", "netiqueta", "consejos"],
    body: `Un buen ticket ahorra idas y vueltas:

1. Un asunto que describa el problema («La impresora de recepción no imprime»), no «Ayuda».
2. Qué pasa, desde cuándo y qué ha probado ya.
3. El mensaje de error exacto o una captura de pantalla.
4. Evite escribir todo en MAYÚSCULAS y los «!!!»: no acelera la respuesta.
5. Un problema por ticket.`,
  },
  {
    slug: "restablecer-la-contrasena",
    category: "cuentas-y-accesos",
    title: "Restablecer la contraseña del portal",
    tags: ["contraseña", "acceso", "portal"],
    body: `Si no recuerda su contraseña:

1. En la página de acceso pulse **¿Olvidó su contraseña?**.
2. Escriba su correo y pulse **Enviar**.
3. Abra el enlace del correo que recibirá (caduca en una hora) y elija una contraseña nueva.

Si el correo no llega, revise la carpeta de correo no deseado.`,
    en: {
      slug: "reset-your-password",
      title: "Resetting your portal password",
      tags: ["password", "access", "portal"],
      body: `If you do not remember your password:

1. On the sign-in page choose **Forgot your password?**.
2. Enter your address and press **Send**.
3. Open the link in the mail you receive (it expires in an hour) and choose a new password.

If the mail does not arrive, check your spam folder.`,
    },
  },
  {
    slug: "contrasena-segura",
    category: "cuentas-y-accesos",
    title: "Cómo elegir una contraseña segura",
    tags: ["contraseña", "seguridad"],
    body: `Una contraseña segura es **larga** más que complicada:

- Al menos 12 caracteres; una frase de varias palabras es fácil de recordar y difícil de adivinar.
- Una contraseña distinta para cada servicio.
- Nunca la envíe por correo ni la escriba en un ticket: nuestros agentes nunca se la pedirán.`,
  },
  {
    slug: "cuenta-bloqueada",
    category: "cuentas-y-accesos",
    title: "Mi cuenta está bloqueada tras varios intentos",
    tags: ["acceso", "bloqueo", "contraseña"],
    body: `Tras varios intentos fallidos el acceso se bloquea unos minutos para protegerle.

Espere quince minutos y vuelva a intentarlo, o restablezca la contraseña. Si sigue sin poder entrar, escríbanos a **soporte@ventanilla.test** desde su dirección habitual.`,
  },
  {
    slug: "cambiar-idioma-y-zona-horaria",
    category: "cuentas-y-accesos",
    title: "Cambiar el idioma y la zona horaria",
    tags: ["perfil", "idioma"],
    body: `En **Mi perfil** puede elegir el idioma de la web y de los correos que le enviamos, y su zona horaria (las fechas se muestran en su hora).

El selector de idioma de la cabecera cambia solo la página que está viendo.`,
  },
  {
    slug: "impresora-imprime-rayas",
    category: "equipos-e-impresoras",
    title: "La impresora imprime con rayas o manchas",
    tags: ["impresora", "tóner", "calidad"],
    body: `Las rayas suelen venir del tóner o del tambor:

1. Saque el cartucho de tóner y agítelo suavemente de lado a lado.
2. Limpie el cristal del escáner si las rayas solo salen en las copias.
3. Imprima la página de limpieza desde el menú **Mantenimiento** de la impresora.
4. Si las rayas siguen, anote el modelo y abra un ticket: quizá haya que cambiar el tambor.`,
    en: {
      slug: "printer-prints-streaks",
      title: "The printer prints streaks or smudges",
      tags: ["printer", "toner", "quality"],
      body: `Streaks usually come from the toner or the drum:

1. Take the toner cartridge out and shake it gently from side to side.
2. Clean the scanner glass if the streaks only appear on copies.
3. Print the cleaning page from the printer's **Maintenance** menu.
4. If the streaks remain, note the model and open a ticket: the drum may need replacing.`,
    },
  },
  {
    slug: "atasco-de-papel",
    category: "equipos-e-impresoras",
    title: "Cómo quitar un atasco de papel",
    tags: ["impresora", "atasco", "papel"],
    body: `1. Apague la impresora y espere a que se enfríe (el fusor quema).
2. Abra las tapas que indique la pantalla y retire el papel tirando **en el sentido de la salida**.
3. Compruebe que no quedan trozos rotos.
4. Use papel seco y no llene la bandeja por encima de la marca.`,
  },
  {
    slug: "instalar-impresora-de-red",
    category: "equipos-e-impresoras",
    title: "Instalar una impresora de red en Windows",
    tags: ["impresora", "windows", "red"],
    body: `1. Abra **Configuración → Bluetooth y dispositivos → Impresoras y escáneres**.
2. Pulse **Agregar dispositivo** y espere a que aparezca la impresora.
3. Si no aparece, elija **Agregar manualmente** y escriba la dirección IP que figura en la etiqueta de la impresora.

Si Windows pide un controlador, abra un ticket indicando el modelo.`,
  },
  {
    slug: "el-portatil-no-enciende",
    category: "equipos-e-impresoras",
    title: "El portátil no enciende",
    tags: ["portátil", "batería", "hardware"],
    body: `Antes de abrir un ticket:

1. Conecte el cargador y compruebe que la luz de carga se enciende.
2. Mantenga pulsado el botón de encendido 20 segundos y suéltelo; después púlselo una vez.
3. Desconecte cualquier USB o pantalla externa.

Si sigue sin encender, abra un ticket con la marca, el modelo y el **número de serie** (en la etiqueta de debajo).`,
  },
  {
    slug: "conectar-a-la-vpn",
    category: "red-y-conexion",
    title: "Conectarse a la VPN desde casa",
    tags: ["vpn", "teletrabajo", "red"],
    body: `1. Abra el cliente VPN de la empresa (icono del escudo junto al reloj).
2. Elija el servidor **vpn.ejemplo.test** y entre con su usuario y contraseña de siempre.
3. Confirme el código que recibirá en el móvil.

Cuando esté conectado, el icono se pone verde y puede abrir las carpetas compartidas.`,
    en: {
      slug: "connect-to-the-vpn",
      title: "Connecting to the VPN from home",
      tags: ["vpn", "remote work", "network"],
      body: `1. Open the company VPN client (the shield icon next to the clock).
2. Choose the server **vpn.ejemplo.test** and sign in with your usual user name and password.
3. Confirm the code you receive on your phone.

Once connected the icon turns green and the shared folders open.`,
    },
  },
  {
    slug: "la-vpn-se-desconecta",
    category: "red-y-conexion",
    title: "La VPN se desconecta cada pocos minutos",
    tags: ["vpn", "desconexión", "wifi"],
    body: `Las desconexiones suelen deberse a la red de casa:

- Acérquese al router o use cable.
- Desactive el ahorro de energía de la tarjeta wifi.
- Compruebe que el cliente VPN está actualizado.

Si ocurre con cualquier red, abra un ticket con la hora aproximada de las desconexiones.`,
  },
  {
    slug: "sin-conexion-a-internet",
    category: "red-y-conexion",
    title: "No tengo conexión a internet en la oficina",
    tags: ["red", "internet", "wifi"],
    body: `1. Compruebe si sus compañeros tienen conexión: si nadie la tiene, ya estamos avisados.
2. Desconecte y vuelva a conectar el cable de red o la wifi.
3. Reinicie el ordenador.

Si solo le pasa a usted, abra un ticket indicando su puesto.`,
  },
  {
    slug: "correo-no-sincroniza-movil",
    category: "aplicaciones",
    title: "El correo no se sincroniza en el móvil",
    tags: ["correo", "móvil", "sincronización"],
    body: `1. Compruebe que el móvil tiene conexión (abra una página web).
2. En la aplicación de correo, quite la cuenta y vuelva a añadirla.
3. Si cambió la contraseña hace poco, escríbala de nuevo en el móvil.`,
  },
  {
    slug: "exportar-informe-a-excel",
    category: "aplicaciones",
    title: "Error de permisos al exportar un informe a Excel",
    tags: ["informe", "excel", "permisos"],
    body: `El error «No tiene permiso para exportar» aparece cuando su usuario no tiene el rol **Informes**.

Abra un ticket indicando qué informe quiere exportar y su usuario: lo revisaremos con su responsable.`,
  },
  {
    slug: "el-programa-va-lento",
    category: "aplicaciones",
    title: "Un programa va muy lento",
    tags: ["rendimiento", "lento", "aplicaciones"],
    body: `1. Cierre los programas y pestañas que no use.
2. Reinicie el ordenador (no basta con cerrar la tapa).
3. Compruebe que hay al menos 10 GB libres en el disco.

Si solo va lento un programa concreto, díganos cuál y desde cuándo.`,
  },
  {
    slug: "descargar-facturas",
    category: "facturacion-y-garantias",
    title: "Descargar sus facturas",
    tags: ["factura", "facturación", "descarga"],
    body: `Las facturas se envían por correo el día 1 de cada mes. Si necesita una copia, abra un ticket en la categoría **Facturación** indicando el mes: se la enviaremos en PDF.`,
    en: {
      slug: "download-your-invoices",
      title: "Downloading your invoices",
      tags: ["invoice", "billing", "download"],
      body: `Invoices are mailed on the 1st of each month. If you need a copy, open a ticket in the **Billing** category naming the month: we will send it as a PDF.`,
    },
  },
  {
    slug: "factura-con-datos-incorrectos",
    category: "facturacion-y-garantias",
    title: "Mi factura tiene datos incorrectos o está duplicada",
    tags: ["factura", "rectificación", "duplicada"],
    body: `Abra un ticket en **Facturación** con:

- El número de la factura.
- Qué dato es incorrecto (razón social, CIF, dirección, importe) y el valor correcto.

Emitiremos una factura rectificativa; una factura duplicada se anula sin coste.`,
  },
  {
    slug: "cambiar-forma-de-pago",
    category: "facturacion-y-garantias",
    title: "Cambiar la forma de pago",
    tags: ["pago", "facturación", "domiciliación"],
    body: `Para domiciliar los pagos o cambiar la cuenta bancaria, abra un ticket en **Facturación** y adjunte el mandato SEPA firmado. El cambio se aplica a la siguiente factura.`,
  },
  {
    slug: "solicitar-una-garantia",
    category: "facturacion-y-garantias",
    title: "Cómo solicitar la reparación en garantía",
    tags: ["garantía", "reparación", "servicio técnico"],
    body: `Los equipos tienen **dos años** de garantía desde la compra.

1. Abra un ticket en la categoría **Servicio técnico**.
2. Indique la marca, el modelo y el **número de serie**.
3. Adjunte la factura de compra y, si puede, una foto del fallo.

Le diremos cómo enviarnos el equipo o cuándo pasará un técnico.`,
  },
  {
    slug: "que-cubre-la-garantia",
    category: "facturacion-y-garantias",
    title: "Qué cubre y qué no cubre la garantía",
    tags: ["garantía", "cobertura"],
    body: `**Cubre**: defectos de fabricación y averías con un uso normal.

**No cubre**: golpes, líquidos, piezas de desgaste (baterías después del primer año, tóner) ni equipos abiertos por terceros.

Si la reparación no está cubierta le enviaremos un presupuesto antes de hacer nada.`,
  },
];

/** Publishes every demo article not yet there (by language and slug), translations linked. Returns how many it added. */
export async function seedKbArticles(deps: Deps, authorId: string): Promise<number> {
  const { db } = deps;
  for (const s of SECTIONS) await db.kbCategory.upsert({ where: { slug: s.slug }, create: s, update: {} });
  const author = { id: authorId, role: "AGENT" as const, locale: "es" as const };
  let added = 0;
  for (const a of DEMO_ARTICLES) {
    const categoryId = (await db.kbCategory.findUnique({ where: { slug: a.category }, select: { id: true } }))?.id ?? null;
    let original = await db.article.findUnique({ where: { language_slug: { language: "es", slug: a.slug } }, select: { id: true } });
    if (!original) {
      original = await createArticle(deps, author, { title: a.title, slug: a.slug, bodyMarkdown: a.body, tags: a.tags, categoryId });
      await setArticlePublished(deps, author, original.id, true);
      added++;
    }
    if (a.en && !(await db.article.findUnique({ where: { language_slug: { language: "en", slug: a.en.slug } }, select: { id: true } }))) {
      const { body, ...meta } = a.en;
      const en = await createArticle(deps, author, { ...meta, bodyMarkdown: body, language: "en", translationOf: original.id, categoryId });
      await setArticlePublished(deps, author, en.id, true);
      added++;
    }
  }
  return added;
}
