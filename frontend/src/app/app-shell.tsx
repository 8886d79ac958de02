import { useQueryClient } from "@tanstack/react-query";
import { Suspense, useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, Navigate, NavLink, Outlet, useLocation, useNavigate } from "react-router";
import { Icon } from "../components/icon";
import { Spinner } from "../components/spinner";
import { api } from "../lib/api-client";
import { LANGUAGES, setLanguage } from "../lib/i18n";
import { useSession, type SessionUser } from "../lib/session";
import { useMetaIndex, useMetaLabels } from "../records/metadata/use-object-meta";
import type { ObjectMeta } from "../records/metadata/types";
import { GlobalSearch } from "../features/search/global-search";

export function navObjects(objects: ObjectMeta[], user: SessionUser | null | undefined): ObjectMeta[] {
  return objects.filter((meta) => !meta.extra?.hidden_from_nav && (!meta.extra?.admin_only || Boolean(user?.is_admin)));
}

export type NavLinkEntry = { to: string; label: string; end: boolean };
export type NavEntry = NavLinkEntry | { group: string; label: string; links: NavLinkEntry[] };

/**
 * The app navigation's object tabs: one per object, except objects of a `nav_group` (metadata
 * `extra.nav_group`, e.g. marketing), which share one menu tab where the first of them stands.
 */
export function navEntries(objects: ObjectMeta[], label: (meta: ObjectMeta) => string, groupLabel: (group: string) => string): NavEntry[] {
  const entries: NavEntry[] = [];
  const groups = new Map<string, NavLinkEntry[]>();
  for (const meta of objects) {
    const link = { to: `/o/${meta.name}`, label: label(meta), end: false };
    const group = typeof meta.extra?.nav_group === "string" ? meta.extra.nav_group : "";
    if (!group) {
      entries.push(link);
      continue;
    }
    const links = groups.get(group);
    if (links) {
      links.push(link);
    } else {
      groups.set(group, [link]);
      entries.push({ group, label: groupLabel(group), links: groups.get(group)! });
    }
  }
  return entries;
}

/** The signed-in frame: global header, app navigation, page outlet. Redirects to sign-in without a session. */
export function AppShell() {
  const session = useSession();
  const location = useLocation();
  if (session.isLoading) return <Spinner />;
  if (!session.data) {
    const next = `${location.pathname}${location.search}`;
    return <Navigate to={next === "/" ? "/login" : `/login?next=${encodeURIComponent(next)}`} replace />;
  }
  return (
    <div className="crm-app">
      <GlobalHeader user={session.data} />
      <AppNav user={session.data} />
      <main id="main" className="crm-main">
        <Suspense fallback={<Spinner />}>
          <Outlet />
        </Suspense>
      </main>
    </div>
  );
}

function initials(name: string): string {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((part) => part[0]?.toUpperCase())
    .join("");
}

function GlobalHeader({ user }: { user: SessionUser }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [menuOpen, setMenuOpen] = useState(false);
  const menuRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!menuOpen) return;
    const close = (event: MouseEvent) => {
      if (!menuRef.current?.contains(event.target as Node)) setMenuOpen(false);
    };
    document.addEventListener("mousedown", close);
    return () => document.removeEventListener("mousedown", close);
  }, [menuOpen]);

  const signOut = async () => {
    try {
      await api.post("auth/logout");
    } finally {
      queryClient.clear();
      navigate("/login", { replace: true });
    }
  };

  return (
    <header className="slds-global-header_container">
      <a href="#main" className="slds-assistive-text slds-assistive-text_focus">
        {t("app.skipToContent")}
      </a>
      <div className="slds-global-header slds-grid slds-grid_align-spread">
        <div className="slds-global-header__item crm-header-brand">
          <span className="slds-icon_container slds-icon-standard-account crm-brand-mark">
            <Icon category="standard" name="account" size="small" />
          </span>
          <span className="crm-brand-name slds-truncate">{user.organization.name}</span>
        </div>
        <div className="slds-global-header__item slds-global-header__item_search">
          <GlobalSearch />
        </div>
        <div className="slds-global-header__item">
          <div ref={menuRef} className={`slds-dropdown-trigger slds-dropdown-trigger_click ${menuOpen ? "slds-is-open" : ""}`}>
            <button
              type="button"
              className="slds-button slds-global-actions__avatar slds-global-actions__item-action"
              title={t("app.userMenu")}
              aria-haspopup="menu"
              aria-expanded={menuOpen}
              onClick={() => setMenuOpen((open) => !open)}
            >
              <span className="slds-avatar slds-avatar_circle slds-avatar_medium crm-avatar">
                <abbr className="slds-avatar__initials slds-icon-standard-user" title={user.name}>
                  {initials(user.name)}
                </abbr>
              </span>
              <span className="slds-assistive-text">{t("app.userMenu")}</span>
            </button>
            {menuOpen ? (
              <div className="slds-dropdown slds-dropdown_right slds-dropdown_medium crm-user-menu" role="menu">
                <div className="slds-p-around_small slds-border_bottom">
                  <p className="slds-text-heading_small slds-truncate">{user.name}</p>
                  <p className="slds-text-body_small slds-text-color_weak slds-truncate">{user.email}</p>
                </div>
                <ul className="slds-dropdown__list" role="group" aria-label={t("app.language")}>
                  <li className="slds-dropdown__header" role="separator">
                    <span>{t("app.language")}</span>
                  </li>
                  {LANGUAGES.map((language) => (
                    <li key={language} className="slds-dropdown__item" role="presentation">
                      <a
                        href="#"
                        role="menuitemradio"
                        aria-checked={i18n.language === language}
                        onClick={(event) => {
                          event.preventDefault();
                          setLanguage(language);
                          setMenuOpen(false);
                        }}
                      >
                        <span className="slds-truncate">
                          {i18n.language === language ? (
                            <Icon category="utility" name="check" className="slds-icon slds-icon_x-small slds-icon-text-default slds-m-right_x-small" />
                          ) : (
                            <span className="crm-check-spacer" />
                          )}
                          {t(`languages.${language}`)}
                        </span>
                      </a>
                    </li>
                  ))}
                  <li className="slds-has-divider_top-space" role="separator" />
                  <li className="slds-dropdown__item" role="presentation">
                    <Link role="menuitem" to="/profile" onClick={() => setMenuOpen(false)}>
                      <span className="slds-truncate">
                        <Icon category="utility" name="user" className="slds-icon slds-icon_x-small slds-icon-text-default slds-m-right_x-small" />
                        {t("team.profile.menu")}
                      </span>
                    </Link>
                  </li>
                  <li className="slds-dropdown__item" role="presentation">
                    <Link role="menuitem" to="/recycle-bin" onClick={() => setMenuOpen(false)}>
                      <span className="slds-truncate">
                        <Icon category="utility" name="recycle_bin_empty" className="slds-icon slds-icon_x-small slds-icon-text-default slds-m-right_x-small" />
                        {t("recycleBin.link")}
                      </span>
                    </Link>
                  </li>
                  <li className="slds-dropdown__item" role="presentation">
                    <a
                      href="#"
                      role="menuitem"
                      onClick={(event) => {
                        event.preventDefault();
                        void signOut();
                      }}
                    >
                      <span className="slds-truncate">
                        <Icon category="utility" name="logout" className="slds-icon slds-icon_x-small slds-icon-text-default slds-m-right_x-small" />
                        {t("app.signOut")}
                      </span>
                    </a>
                  </li>
                </ul>
              </div>
            ) : null}
          </div>
        </div>
      </div>
    </header>
  );
}

function AppNav({ user }: { user: SessionUser }) {
  const { t } = useTranslation();
  const labels = useMetaLabels();
  const { data: metaIndex } = useMetaIndex();
  const location = useLocation();
  const [open, setOpen] = useState(false);
  const objects = navObjects(metaIndex?.objects ?? [], user);

  useEffect(() => setOpen(false), [location.pathname]);
  const isActive = (tab: NavLinkEntry) => (tab.end ? location.pathname === "/" : location.pathname === tab.to || location.pathname.startsWith(`${tab.to}/`));

  const tabs: NavEntry[] = [
    { to: "/", label: t("app.home"), end: true },
    ...navEntries(objects, labels.objectPlural, (group) => t(`app.navGroups.${group}`, { defaultValue: group })),
    { to: "/calendar", label: t("work.calendar.title"), end: false },
    { to: "/todo", label: t("work.todo.tab"), end: false },
    { to: "/reports", label: t("work.reports.title"), end: false },
    ...(user.is_admin ? [{ to: "/setup", label: t("work.admin.setup"), end: false }] : []),
  ];

  return (
    <div className={`slds-context-bar crm-context-bar ${open ? "crm-context-bar_open" : ""}`}>
      <div className="slds-context-bar__primary">
        <div className="slds-context-bar__item slds-context-bar__dropdown-trigger slds-dropdown-trigger slds-dropdown-trigger_click slds-no-hover">
          <div className="slds-context-bar__icon-action">
            <button
              type="button"
              className="slds-button slds-icon-waffle_container slds-context-bar__button crm-nav-toggle"
              title={t("app.navMenu")}
              aria-expanded={open}
              aria-controls="app-nav"
              onClick={() => setOpen((value) => !value)}
            >
              <span className="slds-icon-waffle">
                {Array.from({ length: 9 }, (_, index) => (
                  <span key={index} className={`slds-r${index + 1}`} />
                ))}
              </span>
              <span className="slds-assistive-text">{t("app.navMenu")}</span>
            </button>
          </div>
          <span className="slds-context-bar__label-action slds-context-bar__app-name">
            <span className="slds-truncate" title={t("app.name")}>
              {t("app.name")}
            </span>
          </span>
        </div>
      </div>
      <nav className="slds-context-bar__secondary" role="navigation" aria-label={t("app.navMenu")}>
        <ul id="app-nav" className="slds-grid crm-nav-list">
          {tabs.map((tab) =>
            "group" in tab ? (
              <NavGroup key={`group-${tab.group}`} label={tab.label} links={tab.links} active={tab.links.some((link) => isActive(link))} />
            ) : (
              <li key={tab.to} className={`slds-context-bar__item crm-nav-item ${isActive(tab) ? "slds-is-active" : ""}`}>
                <NavLink to={tab.to} end={tab.end} className="slds-context-bar__label-action" title={tab.label}>
                  <span className="slds-truncate">{tab.label}</span>
                </NavLink>
              </li>
            ),
          )}
        </ul>
      </nav>
    </div>
  );
}

/** A tab that opens a menu of links (the objects of one nav group, e.g. Marketing). */
function NavGroup({ label, links, active }: { label: string; links: NavLinkEntry[]; active: boolean }) {
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLLIElement>(null);
  const location = useLocation();
  const menuId = `nav-group-${label.replace(/\W+/g, "-").toLowerCase()}`;

  useEffect(() => setOpen(false), [location.pathname]);
  useEffect(() => {
    if (!open) return;
    const close = (event: MouseEvent) => {
      if (!ref.current?.contains(event.target as Node)) setOpen(false);
    };
    const escape = (event: KeyboardEvent) => {
      if (event.key === "Escape") setOpen(false);
    };
    document.addEventListener("mousedown", close);
    document.addEventListener("keydown", escape);
    return () => {
      document.removeEventListener("mousedown", close);
      document.removeEventListener("keydown", escape);
    };
  }, [open]);

  return (
    <li
      ref={ref}
      className={`slds-context-bar__item slds-context-bar__dropdown-trigger slds-dropdown-trigger slds-dropdown-trigger_click crm-nav-item crm-nav-group ${
        active ? "slds-is-active" : ""
      } ${open ? "slds-is-open" : ""}`}
    >
      <button
        type="button"
        className="slds-button slds-context-bar__label-action crm-nav-group__button"
        aria-haspopup="true"
        aria-expanded={open}
        aria-controls={menuId}
        onClick={() => setOpen((value) => !value)}
      >
        <span className="slds-truncate">{label}</span>
        <Icon category="utility" name="chevrondown" className="slds-button__icon slds-button__icon_right slds-button__icon_x-small" />
      </button>
      {open ? (
        <div id={menuId} className="slds-dropdown slds-dropdown_left crm-nav-group__menu">
          <ul className="slds-dropdown__list" role="menu" aria-label={label}>
            {links.map((link) => (
              <li key={link.to} className="slds-dropdown__item" role="presentation">
                <NavLink role="menuitem" to={link.to} aria-current={location.pathname.startsWith(link.to) ? "page" : undefined}>
                  <span className="slds-truncate" title={link.label}>
                    {link.label}
                  </span>
                </NavLink>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </li>
  );
}
