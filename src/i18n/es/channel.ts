export const channel = { PORTAL: "Portal", EMAIL: "Correo", PHONE: "Teléfono", GUEST: "Invitado" } as const;
