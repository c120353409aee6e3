export const writing = {
  region: "Consejos de redacción",
  hints: {
    shouting: "Parece escrito casi todo en MAYÚSCULAS: se lee como si gritara y cuesta leerlo. ¿Lo pasa a minúsculas?",
    punctuation: "Varios signos seguidos (¡!!!, ¿???) suenan impacientes. Con uno basta.",
    contact: "Su mensaje incluye un teléfono o un correo. Para su privacidad, guárdelos en su perfil en lugar de escribirlos aquí.",
    tooShort: "El mensaje es muy breve. Cuéntenos qué ocurre, dónde y desde cuándo para poder ayudarle a la primera.",
  },
  names: {
    shouting: "mayúsculas",
    punctuation: "signos seguidos",
    contact: "datos de contacto",
    tooShort: "mensaje breve",
  },
  dismiss: "Descartar el consejo sobre {hint}",
  dismissShort: "Entendido",
  similar: {
    question: "¿Es sobre el ticket #{number}?",
    link: "Añada su mensaje allí (#{number})",
    stillNew: "Si es otro asunto, puede enviar este ticket igualmente.",
  },
} as const;
