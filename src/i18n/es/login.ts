export const login = {
  title: "Iniciar sesión",
  email: "Correo electrónico",
  password: "Contraseña",
  submit: "Iniciar sesión",
  invalid: "Correo o contraseña incorrectos.",
  google: "Continuar con Google",
  facebook: "Continuar con Facebook",
  or: "o",
} as const;
