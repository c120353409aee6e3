export const profile = {
  title: "Su perfil",
  welcome: "¡Bienvenido! Su cuenta está activa. Si lo desea, complete su perfil.",
  email: "Correo electrónico",
  name: "Nombre",
  save: "Guardar",
  saving: "Guardando…",
  saved: "Perfil guardado.",
  home: "Inicio",
} as const;
