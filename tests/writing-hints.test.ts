import { describe, expect, it } from "vitest";
import { writingHints, type WritingHint } from "~/shared/writing-hints";

// Spanish as customers and agents write it: accents, ñ, ¿¡, emoji, acronyms.
const cases: Array<[string, WritingHint[]]> = [
  ["", []],
  ["   ", []],
  ["AYUDA!!!", ["shouting", "punctuation", "tooShort"]],
  ["NO FUNCIONA LA IMPRESORA DESDE AYER, NECESITO QUE LA ARREGLEN", ["shouting"]],
  ["¿POR QUÉ NADIE ME RESPONDE? LLEVO TRES DÍAS ESPERANDO", ["shouting"]],
  ["EL AÑO PASADO PASÓ LO MISMO CON LA FACTURACIÓN", ["shouting"]],
  ["No puedo conectarme a la VPN desde casa desde el lunes.", []],
  ["VPN", ["tooShort"]],
  ["HP", ["tooShort"]],
  ["La impresora HP de recepción no imprime en color desde ayer.", []],
  ["El error sale en SAP al cerrar el mes: código 504 en la pantalla de asientos.", []],
  ["¿Cuándo estará resuelto mi ticket????", ["punctuation"]],
  ["¿???", ["punctuation", "tooShort"]],
  ["¡¡¡Urgente, la red de la oficina está caída!!!", ["punctuation"]],
  ["¿¡Cómo que no hay fecha!? Necesito saberlo para el cierre del mes.", []],
  ["Pueden llamarme al +34 612 345 678 cuando lo revisen, gracias.", ["contact"]],
  ["Mi teléfono es 91-555-12-34 y estoy hasta las cinco de la tarde.", ["contact"]],
  ["Escríbanme a núria.peña@estudio-gomez.es con la respuesta, por favor.", ["contact"]],
  ["La factura 2024-0001 tiene un importe de 1.250,00 € y no cuadra con el pedido.", []],
  ["no funciona", ["tooShort"]],
  ["Hola, ayuda 🙏", ["tooShort"]],
  ["La pantalla se queda en negro al arrancar 😞 y no sé qué hacer.", []],
  ["Señora Muñoz, le adjuntamos la guía para restablecer su contraseña paso a paso.", []],
];

describe("writingHints", () => {
  it.each(cases)("%j → %j", (text, hints) => {
    expect(writingHints(text)).toEqual(hints);
  });
});
