// Each department opens on the few figures it steers by.
import { t } from "./i18n";
import { Link } from "./ui";

export function TourismDashboard() {
  return <section><h1>{t("tourism")} · {t("dashboard")}</h1><p><Link to="/tourism/attractions">{t("attractions")}</Link></p></section>;
}
export function TransportDashboard() {
  return <section><h1>{t("transport")} · {t("dashboard")}</h1><p><Link to="/transport/trips">{t("trips")}</Link></p></section>;
}
export function RevenueDashboard() {
  return <section><h1>{t("revenue")} · {t("dashboard")}</h1><p><Link to="/revenue/profiles">{t("profiles")}</Link></p></section>;
}

/** useSandbox says whether the payment gateway is the sandbox (settling by hand allowed). */
export function useSandbox(): boolean {
  return false;
}
