// The mails bench/mail.ts sends, shaped like what a help desk receives: plain text from phones and
// webmail, HTML from Gmail/Outlook with an inline screenshot or logo, PDFs/photos/zips attached,
// and replies that quote the mail they answer. Sizes and choices come from a seeded generator, so
// two runs send the same mix; the attachment bytes are random (incompressible, like real files).
import { randomBytes } from "node:crypto";
import type Mail from "nodemailer/lib/mailer";

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

export const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
export const between = (r: () => number, lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));

/**
 * Random bytes, pre-encoded once as MIME base64 (76 characters + CRLF per line, 57 bytes each).
 * An attachment is a line-aligned window of it: the sender pays no encoding per mail, so on a
 * 2-core machine the benchmark's own CPU stays out of the figures as far as possible.
 */
export class Base64Pool {
  static readonly LINE_BYTES = 57;
  static readonly LINE_CHARS = 78;
  readonly raw: Buffer;
  private readonly encoded: Buffer;
  private readonly lines: number;

  constructor(bytes: number) {
    this.lines = Math.ceil(bytes / Base64Pool.LINE_BYTES);
    this.raw = randomBytes(this.lines * Base64Pool.LINE_BYTES);
    this.encoded = Buffer.allocUnsafe(this.lines * Base64Pool.LINE_CHARS);
    const b64 = Buffer.from(this.raw.toString("base64"), "latin1");
    for (let i = 0; i < this.lines; i++) {
      b64.copy(this.encoded, i * Base64Pool.LINE_CHARS, i * 76, i * 76 + 76);
      this.encoded[i * Base64Pool.LINE_CHARS + 76] = 13;
      this.encoded[i * Base64Pool.LINE_CHARS + 77] = 10;
    }
  }

  /** About `bytes` bytes (rounded up to whole lines), from a random line. `size` is the decoded size. */
  window(bytes: number, r: () => number): { base64: Buffer; size: number } {
    const n = Math.min(this.lines, Math.ceil(bytes / Base64Pool.LINE_BYTES));
    const start = Math.floor(r() * (this.lines - n + 1));
    return { base64: this.encoded.subarray(start * Base64Pool.LINE_CHARS, (start + n) * Base64Pool.LINE_CHARS), size: n * Base64Pool.LINE_BYTES };
  }
}

const FIRST = ["María", "José", "Lucía", "Carlos", "Ana", "Javier", "Carmen", "Miguel", "Laura", "Pablo", "Elena", "Andrés", "Sofía", "Diego", "Marta", "Raúl"];
const LAST = ["García", "Fernández", "López", "Martínez", "Sánchez", "Pérez", "Gómez", "Ruiz", "Díaz", "Moreno", "Álvarez", "Romero", "Navarro", "Torres"];
const DOMAINS = ["gmail.com", "hotmail.com", "outlook.es", "yahoo.es", "empresa-ejemplo.es", "talleres-lopez.es", "gestoria-norte.com"];

export function senderFor(i: number, r: () => number): { name: string; address: string } {
  const first = pick(r, FIRST);
  const last = pick(r, LAST);
  const local = `${first}.${last}.${i}`.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  return { name: `${first} ${last}`, address: `${local}@${pick(r, DOMAINS)}` };
}

export const SUBJECTS = [
  "No puedo acceder a mi cuenta",
  "Error al descargar la factura de octubre",
  "La aplicación se cierra al abrir el informe",
  "Solicitud de cambio de datos bancarios",
  "Consulta sobre el pedido 48213",
  "No me llega el correo de verificación",
  "Problema con la impresora de la oficina 2",
  "Duda sobre la renovación del contrato",
  "El portal va muy lento desde ayer",
  "Alta de un nuevo usuario en el sistema",
  "Cargo duplicado en la tarjeta",
  "No se sincroniza el calendario",
  "Petición de presupuesto",
  "Incidencia con la VPN",
  "Adjunto la documentación solicitada",
];

const SENTENCES = [
  "Desde esta mañana no consigo entrar con mi usuario habitual, me dice que la contraseña no es válida.",
  "Ya he probado a restablecer la contraseña pero el enlace del correo caduca antes de que pueda usarlo.",
  "El problema aparece tanto en el ordenador de la oficina como en el portátil de casa.",
  "Les adjunto una captura de pantalla con el mensaje de error que aparece.",
  "Necesitaríamos tenerlo resuelto antes del viernes porque tenemos el cierre del trimestre.",
  "He revisado la configuración siguiendo la guía de su web y todo parece correcto.",
  "La última vez que funcionó bien fue el lunes por la tarde, después de la actualización ya no.",
  "Somos cinco personas en el departamento y a todos nos ocurre lo mismo.",
  "El número de cliente es el 20931 y el contrato está a nombre de la empresa.",
  "Si necesitan acceso remoto al equipo díganme a qué hora les viene bien.",
  "En el navegador aparece un error 500 y después la página se queda en blanco.",
  "Les agradecería que me indicaran los pasos a seguir o si tengo que enviar algo más.",
  "Por favor, confírmenme si han recibido la documentación completa.",
  "No es urgente, pero sí nos gustaría saber cuándo podrían mirarlo.",
  "He llamado por teléfono esta mañana y me han dicho que lo enviara por correo.",
  "El importe que aparece en la factura no coincide con el del presupuesto aceptado.",
  "Hemos cambiado de oficina y la dirección de envío ya no es la misma.",
  "Además, la aplicación del móvil muestra datos de hace dos semanas.",
];
const REPLY_SENTENCES = [
  "Gracias por la respuesta, lo he probado y sigue igual.",
  "Ya funciona, muchas gracias por la ayuda.",
  "Les envío la información que me pedían.",
  "Lo he vuelto a intentar esta tarde con el mismo resultado.",
  "¿Hay alguna novedad sobre esto? Seguimos sin poder trabajar con normalidad.",
  "Perdón, se me olvidó indicar que uso Windows 11 y el navegador Edge.",
  "Confirmo que el problema se ha resuelto en todos los equipos.",
  "Mañana estaré en la oficina a partir de las nueve si quieren llamarme.",
];
const OPENERS = ["Hola,", "Buenos días,", "Buenas tardes,", "Estimados señores:", "Hola equipo de soporte,"];
const CLOSERS = ["Un saludo,", "Gracias de antemano.", "Quedo a la espera de su respuesta.", "Saludos cordiales,", "Muchas gracias,"];
const ATTACHMENTS = [
  { ext: "pdf", type: "application/pdf", base: "factura" },
  { ext: "pdf", type: "application/pdf", base: "contrato-firmado" },
  { ext: "jpg", type: "image/jpeg", base: "IMG_" },
  { ext: "zip", type: "application/zip", base: "registros" },
  { ext: "xlsx", type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", base: "listado" },
] as const;

export type Format = "plain" | "html" | "attachment";

export interface Draft {
  format: Format;
  from: { name: string; address: string };
  to: string;
  subject: string;
  messageId: string;
  inReplyTo?: string;
  references?: string[];
  /** A reply quotes what it answers, as mail clients do. */
  quote?: { who: string; text: string };
  /** HTML mails carry one inline image of this many bytes. */
  inlineBytes?: number;
  /** `attachment` mails carry one file of about this many bytes. */
  attachmentBytes?: number;
}

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

function paragraphs(r: () => number, reply: boolean): string[] {
  const pool = reply ? REPLY_SENTENCES : SENTENCES;
  const n = reply ? between(r, 1, 3) : between(r, 2, 7);
  const body: string[] = [];
  for (let i = 0; i < n; i++) body.push(pick(r, pool));
  return [pick(r, OPENERS), ...body, pick(r, CLOSERS)];
}

const QUOTE_DATE = "El lun, 23 nov 2026 a las 10:14";

/** nodemailer options for one draft, plus the decoded attachment bytes actually sent. */
export function compose(d: Draft, r: () => number, pool: Base64Pool, seq: number): { options: Mail.Options; attachmentBytes: number } {
  const paras = paragraphs(r, !!d.quote);
  const signature = `${d.from.name}\n${pick(r, ["Administración", "Dpto. de compras", "Recepción", "Contabilidad", ""])}\nTel. 91 555 ${String(1000 + (seq % 9000))}`;
  let text = `${paras.join("\n\n")}\n\n-- \n${signature}\n`;
  if (d.quote) text += `\n${QUOTE_DATE}, ${d.quote.who} escribió:\n${d.quote.text.split("\n").map((l) => `> ${l}`).join("\n")}\n`;

  const options: Mail.Options = {
    from: d.from,
    to: d.to,
    subject: d.subject,
    messageId: d.messageId,
    text,
    ...(d.inReplyTo ? { inReplyTo: d.inReplyTo } : {}),
    ...(d.references?.length ? { references: d.references } : {}),
  };
  let attachmentBytes = 0;

  if (d.format === "html") {
    const cid = `image${String(seq).padStart(3, "0")}.png@01DB3F2A.6C1E4B90`;
    const outlook = r() < 0.5;
    const quoteHtml = d.quote
      ? outlook
        ? `<div style="border:none;border-top:solid #E1E1E1 1.0pt;padding:3.0pt 0cm 0cm 0cm"><p class="MsoNormal"><b>De:</b> ${esc(d.quote.who)}<br><b>Enviado:</b> lunes, 23 de noviembre de 2026 10:14<br><b>Asunto:</b> ${esc(d.subject)}</p></div><p class="MsoNormal">${esc(d.quote.text).replace(/\n/g, "<br>")}</p>`
        : `<div class="gmail_quote"><div dir="ltr" class="gmail_attr">${QUOTE_DATE}, ${esc(d.quote.who)} escribió:<br></div><blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex;border-left:1px solid rgb(204,204,204);padding-left:1ex">${esc(d.quote.text).replace(/\n/g, "<br>")}</blockquote></div>`
      : "";
    const img = `<img src="cid:${cid}" alt="captura.png" width="640" height="360" style="width:6.6in;height:3.75in">`;
    const html = outlook
      ? `<html xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office"><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"><style><!--
/* Font Definitions */ @font-face {font-family:"Cambria Math";panose-1:2 4 5 3 5 4 6 3 2 4;} @font-face {font-family:Calibri;panose-1:2 15 5 2 2 2 4 3 2 4;}
/* Style Definitions */ p.MsoNormal, li.MsoNormal, div.MsoNormal {margin:0cm;font-size:11.0pt;font-family:"Calibri",sans-serif;mso-fareast-language:EN-US;}
a:link, span.MsoHyperlink {mso-style-priority:99;color:#0563C1;text-decoration:underline;} span.EstiloCorreo17 {mso-style-type:personal-compose;font-family:"Calibri",sans-serif;color:windowtext;}
.MsoChpDefault {mso-style-type:export-only;font-family:"Calibri",sans-serif;mso-fareast-language:EN-US;} @page WordSection1 {size:612.0pt 792.0pt;margin:70.85pt 3.0cm 70.85pt 3.0cm;} div.WordSection1 {page:WordSection1;}
--></style></head><body lang="ES" link="#0563C1" vlink="#954F72" style="word-wrap:break-word"><div class="WordSection1">${paras
          .map((p) => `<p class="MsoNormal">${esc(p)}<o:p></o:p></p><p class="MsoNormal"><o:p>&nbsp;</o:p></p>`)
          .join("")}<p class="MsoNormal">${img}<o:p></o:p></p><p class="MsoNormal"><span style="font-size:9.0pt;color:#595959">${esc(signature).replace(/\n/g, "<br>")}</span></p>${quoteHtml}</div></body></html>`
      : `<div dir="ltr">${paras.map((p) => `<div>${esc(p)}</div><div><br></div>`).join("")}<div>${img}</div><br><span class="gmail_signature_prefix">-- </span><br><div dir="ltr" class="gmail_signature">${esc(signature).replace(/\n/g, "<br>")}</div></div><br>${quoteHtml}`;
    const n = Math.min(d.inlineBytes ?? 60_000, pool.raw.length);
    const at = Math.floor(r() * (pool.raw.length - n));
    options.html = html;
    options.attachments = [{ filename: "image001.png", contentType: "image/png", cid, contentDisposition: "inline", content: pool.raw.subarray(at, at + n) }];
  }

  if (d.format === "attachment") {
    const kind = pick(r, ATTACHMENTS);
    const filename = `${kind.base}${kind.base.endsWith("_") ? "" : "-"}${String(seq).padStart(4, "0")}.${kind.ext}`;
    const win = pool.window(d.attachmentBytes ?? 2_000_000, r);
    attachmentBytes = win.size;
    const head = Buffer.from(
      `Content-Type: ${kind.type}; name="${filename}"\r\nContent-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename="${filename}"\r\n\r\n`,
      "latin1",
    );
    // A ready-made MIME part: nodemailer streams it as is (no per-mail base64 work in the sender).
    options.attachments = [{ raw: Buffer.concat([head, win.base64]) }];
  }
  return { options, attachmentBytes };
}
