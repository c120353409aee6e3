export const siteMenu = { menu: "Menú", closeMenu: "Cerrar menú", main: "Menú principal", skipToContent: "Saltar al contenido" } as const;
