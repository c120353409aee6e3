// Limits of a team (modules/teams/), shared by the admin page and the server.
export const TEAM_NAME_MAX = 80;
export const TEAM_DESCRIPTION_MAX = 300;
export const TEAM_MEMBERS_MAX = 200;
