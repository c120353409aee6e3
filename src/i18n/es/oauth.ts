// Sign-ins with Google or Facebook that were refused, and linking them from the profile.
export const oauth = {
  OAuthEmailUnverified:
    "Google no ha verificado esta dirección de correo, así que no podemos usarla para entrar. Verifíquela en su cuenta de Google e inténtelo de nuevo, o inicie sesión con su contraseña.",
  OAuthLinkWithPassword:
    "Ya existe una cuenta con este correo. Inicie sesión con su contraseña para vincular Facebook: después pulse «Vincular Facebook» en su perfil.",
  OAuthLinkNoPassword:
    "Ya existe una cuenta con este correo, pero aún no tiene contraseña, así que no podemos comprobar que es suya. Cree una contraseña con la invitación que le enviamos a ese correo (si no la encuentra, pídala a soporte), inicie sesión con ella y pulse «Vincular Facebook» en su perfil.",
  OAuthNoAccount:
    "Todavía no tiene una cuenta con este correo, y Facebook no nos permite comprobar que la dirección es suya. Escríbanos a soporte o abra un ticket: le enviaremos una invitación para crear su contraseña, y después podrá vincular Facebook desde su perfil.",
  OAuthNoEmail: "El proveedor no nos ha dado su dirección de correo. Permita compartirla e inténtelo de nuevo.",
  OAuthLinkedElsewhere: "Esa cuenta de Google o Facebook ya está vinculada a otro usuario.",
  OAuthAccountDeactivated: "Su cuenta está desactivada. Si cree que es un error, hable con un administrador.",
  OAuthLinkFailed: "No se pudo vincular la cuenta. Inténtelo de nuevo.",
  OAuthAccountNotLinked: "Ya existe una cuenta con este correo. Inicie sesión con su contraseña.",
  generic: "No se pudo iniciar sesión. Inténtelo de nuevo.",
  linkedTitle: "Inicios de sesión vinculados",
  linkedIntro: "Vincule su cuenta de Google o Facebook para entrar también con ella.",
  link: "Vincular {provider}",
  isLinked: "{provider}: vinculada",
  linkedNow: "Se ha vinculado {provider}. A partir de ahora también puede entrar con ella.",
} as const;
