// A test seam for invariant 8: the crash tests arm one named point in a child process, which then
// dies by SIGKILL exactly between two writes that must both happen. Inert unless armed; nothing in
// the product arms it.
let armed: string | undefined;

export function armCrashPoint(name: string | undefined): void {
  armed = name;
}

export function crashPoint(name: string): void {
  if (armed === name) process.kill(process.pid, 'SIGKILL');
}
