"use client";
import { usePathname } from "next/navigation";

export type ResolvedLink = { href: string; label: string };

/** The menu's links, the current page marked for screen readers (aria-current) and for the eye. */
export function NavLinks({ links, onNavigate }: { links: ResolvedLink[]; onNavigate?: () => void }) {
  const pathname = usePathname();
  const current = currentHref(links, pathname);
  return (
    <ul className="nav-links">
      {links.map((l) => (
        <li key={l.href}>
          <a href={l.href} aria-current={l.href === current ? "page" : undefined} onClick={onNavigate}>
            {l.label}
          </a>
        </li>
      ))}
    </ul>
  );
}

/** The longest link that is the path or a parent of it, so /portal/tickets/new marks "Nuevo ticket", not "Mis tickets". */
function currentHref(links: ResolvedLink[], pathname: string | null): string | undefined {
  if (!pathname) return undefined;
  let best: string | undefined;
  for (const { href } of links) {
    const matches = pathname === href || pathname.startsWith(href.endsWith("/") ? href : `${href}/`);
    if (matches && (!best || href.length > best.length)) best = href;
  }
  return best;
}
