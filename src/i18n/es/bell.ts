export const bell = {
  title: "Notificaciones",
  label: "Notificaciones",
  labelUnread: "Notificaciones, {count} sin leer",
  empty: "No tiene notificaciones.",
  markAll: "Marcar todas como leídas",
  unread: "Sin leer",
  kinds: {
    ASSIGNED: "{actor} le asignó el ticket #{number}",
    MENTIONED: "{actor} le mencionó en una nota interna del ticket #{number}",
    SLA_WARNING: "El ticket #{number} está a punto de incumplir su SLA",
    SLA_BREACHED: "El ticket #{number} ha incumplido su SLA",
    ESCALATED: "El ticket #{number} se ha escalado",
    TEAM_ASSIGNED: "{actor} pasó el ticket #{number} a su equipo",
  },
  someone: "Alguien",
  mentionHint: "En una nota interna, escriba @ y el nombre de un agente (o la parte de su correo antes de la @) para avisarle.",
} as const;
