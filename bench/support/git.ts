import { execFileSync } from "node:child_process";

/** The commit a benchmark ran at, marked when src/ or workers/ had uncommitted changes; null outside a git checkout. */
export function gitCommit(root: string): string | null {
  try {
    const sha = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: root, encoding: "utf8" }).trim();
    const dirty = execFileSync("git", ["status", "--porcelain", "--", "src", "workers"], { cwd: root, encoding: "utf8" }).trim();
    return dirty ? `${sha}+src-changes` : sha;
  } catch {
    return null;
  }
}
