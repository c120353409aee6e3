// A private Dovecot IMAP server for the IMAP poller tests: its own config, runtime dirs, user
// database and maildirs under a temporary directory, listening on 127.0.0.1 on a free port, run in
// the foreground (`dovecot -F`) as a child of the test process and stopped by `stop()`.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { chmod, chown, mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";

const DOVECOT = "/usr/sbin/dovecot";

/** Installs Debian's dovecot-imapd when missing (the same as `npm test` does in scripts/lib.mjs). */
export function ensureDovecot(): void {
  if (existsSync(DOVECOT)) return;
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  for (const args of [["update", "-qq"], ["install", "-y", "-qq", "--no-install-recommends", "dovecot-imapd"]]) {
    const res = spawnSync("apt-get", args, { stdio: "inherit", env });
    if (res.status !== 0) throw new Error(`apt-get ${args.join(" ")} failed (exit ${res.status ?? res.signal}); dovecot-imapd is needed for the IMAP tests`);
  }
}

export function dovecotVersion(): string {
  const res = spawnSync(DOVECOT, ["--version"], { encoding: "utf8" });
  if (res.status !== 0) throw new Error(`dovecot --version failed: ${res.stderr}`);
  return res.stdout.trim();
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function systemUser(name: string): { uid: number; gid: number } {
  for (const line of readFileSync("/etc/passwd", "utf8").split("\n")) {
    const f = line.split(":");
    if (f[0] === name) return { uid: Number(f[2]), gid: Number(f[3]) };
  }
  throw new Error(`no system user ${name}`);
}

interface Accounts {
  /** Owner of the maildirs (mail_uid/mail_gid). */
  mail: { name: string; uid: number; gid: number };
  login: string;
  internal: string;
}

/**
 * Dovecot refuses to run its login processes as root and its mail processes with uid 0. As root
 * (this sandbox), they drop to Debian's own accounts: `dovenull` (login), `dovecot` (internal) and
 * `mail` (owner of the maildirs). As any other user, every process runs as that user.
 */
function accounts(): Accounts {
  if (process.getuid?.() === 0) return { mail: { name: "mail", ...systemUser("mail") }, login: "dovenull", internal: "dovecot" };
  const me = os.userInfo();
  return { mail: { name: me.username, uid: me.uid, gid: me.gid }, login: me.username, internal: me.username };
}

function config(v: { major24: boolean; root: string; port: number; acc: Accounts; rootless: boolean }): string {
  const { root, port, acc } = v;
  const common = [
    "protocols = imap",
    "listen = 127.0.0.1",
    `base_dir = ${root}/run`,
    `state_dir = ${root}/state`,
    `instance_name = ventanilla-test-${port}`,
    "log_path = /dev/stderr",
    "ssl = no",
    "auth_mechanisms = plain login",
    // A wrong password is answered at once instead of after the default 2 s.
    "auth_failure_delay = 0",
    `default_internal_user = ${acc.internal}`,
    `default_login_user = ${acc.login}`,
    // Debian's `mail` user is uid 8; the default (500) would refuse it.
    "first_valid_uid = 1",
    `mail_uid = ${acc.mail.uid}`,
    `mail_gid = ${acc.mail.gid}`,
  ];
  const login = [
    "service imap-login {",
    `  inet_listener imap {\n    port = ${port}\n  }`,
    "  inet_listener imaps {\n    port = 0\n  }",
    ...(v.rootless ? ["  chroot ="] : []),
    "}",
    // No growing per-IP penalty after the wrong-password tests: every test connects from 127.0.0.1.
    "service anvil {\n  unix_listener anvil-auth-penalty {\n    mode = 0\n  }\n}",
  ];
  if (!v.major24) {
    return [
      ...common,
      "disable_plaintext_auth = no",
      `mail_location = maildir:${root}/mail/%u/Maildir`,
      `passdb {\n  driver = passwd-file\n  args = scheme=PLAIN username_format=%u ${root}/passwd\n}`,
      `userdb {\n  driver = static\n  args = home=${root}/mail/%u\n}`,
      ...login,
      "",
    ].join("\n");
  }
  // Dovecot 2.4 renamed most settings; written from its documentation (the Debian 12 sandbox has 2.3).
  return [
    "dovecot_config_version = 2.4.0",
    "dovecot_storage_version = 2.4.0",
    ...common,
    "auth_allow_cleartext = yes",
    `mail_home = ${root}/mail/%{user}`,
    "mail_driver = maildir",
    "mail_path = ~/Maildir",
    "namespace inbox {\n  inbox = yes\n  separator = .\n}",
    `passdb passwd-file {\n  passwd_file_path = ${root}/passwd\n}`,
    "userdb static {\n}",
    ...login,
    "",
  ].join("\n");
}

export interface MaildirMessage {
  folder: string;
  file: string;
  /** Maildir flag letters ("S" = \Seen, "T" = \Deleted, …). */
  flags: string;
  seen: boolean;
  messageId: string | undefined;
}

export interface Dovecot {
  host: string;
  port: number;
  version: string;
  root: string;
  /** Everything dovecot wrote to stderr (its log), for failure messages. */
  log: string[];
  /** A mail user of its own (with an empty maildir) for each caller: one of the users created at start. */
  addUser(): Promise<{ user: string; password: string }>;
  /** Delivers a raw RFC 822 message the way an MTA does: written to tmp/, renamed into new/ (or into cur/ with flags). */
  deliver(user: string, raw: string | Buffer, opts?: { folder?: string; flags?: string }): Promise<string>;
  /** The user's messages as stored on disk, per folder: the server's own state, read without IMAP. */
  messages(user: string): Promise<MaildirMessage[]>;
  stop(): Promise<void>;
}

const folderDir = (root: string, user: string, folder: string) =>
  path.join(root, "mail", user, "Maildir", folder.toUpperCase() === "INBOX" ? "" : `.${folder}`);

/**
 * `users`: how many mail users the passwd-file gets. They are all written before dovecot starts:
 * dovecot re-reads a changed passwd-file at most once a second, so users added later could be
 * refused for a moment.
 */
export async function startDovecot(opts: { users?: number } = {}): Promise<Dovecot> {
  ensureDovecot();
  const version = dovecotVersion();
  const [maj, min] = version.split(/[.\s]/).map(Number);
  const major24 = maj! > 2 || (maj === 2 && min! >= 4);
  const acc = accounts();
  const rootless = process.getuid?.() !== 0;
  const root = await mkdtemp(path.join(os.tmpdir(), "ventanilla-dovecot-"));
  // The unprivileged mail and login users must be able to reach their directories.
  await chmod(root, 0o755);
  for (const d of ["run", "state", "mail"]) await mkdir(path.join(root, d), { recursive: true });
  await chown(path.join(root, "mail"), acc.mail.uid, acc.mail.gid);
  const users = Array.from({ length: opts.users ?? 20 }, (_, i) => ({ user: `tester${i + 1}`, password: randomBytes(9).toString("base64url") }));
  await writeFile(path.join(root, "passwd"), users.map((u) => `${u.user}:{PLAIN}${u.password}::::::\n`).join(""), { mode: 0o644 });
  const port = await freePort();
  const confPath = path.join(root, "dovecot.conf");
  await writeFile(confPath, config({ major24, root, port, acc, rootless }));

  const log: string[] = [];
  const child: ChildProcess = spawn(DOVECOT, ["-F", "-c", confPath], { stdio: ["ignore", "pipe", "pipe"] });
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));

  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`dovecot did not start in 15 s:\n${log.join("")}`)), 15_000);
    const onData = (d: Buffer) => {
      log.push(d.toString());
      // The master logs this once its listeners are bound.
      if (/starting up/.test(log.join(""))) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`dovecot exited (${code ?? signal}) while starting:\n${log.join("")}`));
    });
  });

  let delivered = 0;

  const maildir = async (user: string, folder: string) => {
    const dir = folderDir(root, user, folder);
    for (const sub of ["", "cur", "new", "tmp"]) {
      const p = path.join(dir, sub);
      await mkdir(p, { recursive: true, mode: 0o700 });
      await chown(p, acc.mail.uid, acc.mail.gid);
    }
    if (folder.toUpperCase() !== "INBOX") await writeFile(path.join(dir, "maildirfolder"), "");
    return dir;
  };

  return {
    host: "127.0.0.1",
    port,
    version,
    root,
    log,
    async addUser() {
      const next = users.shift();
      if (!next) throw new Error("no more dovecot test users: raise startDovecot({ users })");
      const home = path.join(root, "mail", next.user);
      await mkdir(home, { recursive: true, mode: 0o700 });
      await chown(home, acc.mail.uid, acc.mail.gid);
      await maildir(next.user, "INBOX");
      return next;
    },
    async deliver(user, raw, opts = {}) {
      const dir = await maildir(user, opts.folder ?? "INBOX");
      const base = `${Date.now()}.P${process.pid}Q${++delivered}.ventanilla-test`;
      const tmp = path.join(dir, "tmp", base);
      await writeFile(tmp, raw, { mode: 0o600 });
      await chown(tmp, acc.mail.uid, acc.mail.gid);
      const target = opts.flags === undefined ? path.join(dir, "new", base) : path.join(dir, "cur", `${base}:2,${opts.flags}`);
      await rename(tmp, target);
      return target;
    },
    async messages(user) {
      const out: MaildirMessage[] = [];
      const home = path.join(root, "mail", user, "Maildir");
      const folders = ["INBOX", ...(await readdir(home, { withFileTypes: true })).filter((d) => d.isDirectory() && d.name.startsWith(".")).map((d) => d.name.slice(1))];
      for (const folder of folders) {
        const dir = folderDir(root, user, folder);
        for (const sub of ["new", "cur"]) {
          const files = existsSync(path.join(dir, sub)) ? await readdir(path.join(dir, sub)) : [];
          for (const file of files) {
            const flags = sub === "cur" ? (/:2,([A-Za-z]*)$/.exec(file)?.[1] ?? "") : "";
            const text = (await readFile(path.join(dir, sub, file))).toString("latin1");
            const head = text.split(/\r?\n\r?\n/, 1)[0]!;
            const messageId = /^message-id:\s*(\S+)/im.exec(head)?.[1];
            out.push({ folder, file, flags, seen: flags.includes("S"), messageId });
          }
        }
      }
      return out;
    },
    async stop() {
      process.off("exit", killOnExit);
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
        await exited;
        clearTimeout(timer);
      }
      await rm(root, { recursive: true, force: true });
    },
  };
}
