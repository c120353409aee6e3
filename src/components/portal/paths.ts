/** The query string the new-ticket form leaves for /portal with when a suggested article solved the problem. */
export const DEFLECTED_PARAM = "resuelto";
export const deflectedPortalPath = `/portal?${DEFLECTED_PARAM}=1`;
