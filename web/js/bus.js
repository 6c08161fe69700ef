// A tiny event bus between modules: "project-opened", "open-at", "compile-errors", "run-done",
// "file-written", "frame".
const handlers = new Map();

export function on(name, handler) {
  if (!handlers.has(name)) handlers.set(name, []);
  handlers.get(name).push(handler);
}

export function emit(name, value) {
  for (const handler of handlers.get(name) || []) {
    try {
      handler(value);
    } catch (error) {
      console.error(`handler of ${name} failed`, error);
    }
  }
}
