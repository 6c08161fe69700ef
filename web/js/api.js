// Talks to our server's JSON API. Every failure becomes an ApiError whose message is the
// server's `detail` (or what went wrong on the way), so callers can show it as it is.

export class ApiError extends Error {
  constructor(status, detail) {
    super(detail);
    this.status = status;
    this.detail = detail;
  }
}

/** What a user can do about a failure, by status. */
export function advice(error) {
  const status = error && error.status;
  if (status === 0) return "Is the server still running? Check the terminal where you started `tau serve`, then try again.";
  if (status === 404) return "It may have been deleted; reload the project list.";
  if (status === 409) return "Reload and try again.";
  if (status === 413 || status === 507) return "Make the file or project smaller, or free some disk space.";
  if (status === 429) return "Wait a moment and try again.";
  if (status === 401 || status === 403) return "Open the IDE again from the URL `tau serve` printed (it carries the token).";
  if (status >= 500) return "The server failed; its terminal shows why. Try again.";
  return "";
}

async function parse(response) {
  const text = await response.text();
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** `api("GET", "/api/projects")`: the answer's JSON, or throws ApiError. */
export async function api(method, path, body, options = {}) {
  const init = { method, credentials: "same-origin", signal: options.signal, headers: {} };
  if (body !== undefined) {
    if (body instanceof Blob || body instanceof ArrayBuffer) {
      init.body = body;
      init.headers["Content-Type"] = options.contentType || "application/octet-stream";
    } else {
      init.body = JSON.stringify(body);
      init.headers["Content-Type"] = "application/json";
    }
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (error) {
    if (error.name === "AbortError") throw error;
    throw new ApiError(0, `could not reach the server (${error.message})`);
  }
  const data = await parse(response);
  if (!response.ok) {
    const detail = data && typeof data === "object" && data.detail ? data.detail : `HTTP ${response.status}`;
    throw new ApiError(response.status, detail);
  }
  if (options.withStatus) return { status: response.status, data };
  return data;
}

export const enc = encodeURIComponent;

export const projectAPI = (id) => `/api/projects/${enc(id)}`;

export function readFile(id, path) {
  return api("GET", `${projectAPI(id)}/file?path=${enc(path)}`);
}

export function writeFile(id, path, content, source) {
  const body = { path, content };
  if (source) body.source = source;
  return api("PUT", `${projectAPI(id)}/file`, body);
}

/**
 * POSTs and reads Server-Sent Events: `onEvent(name, data)` per event. Resolves when the
 * stream ends; rejects with ApiError on a non-2xx answer, or AbortError when aborted.
 */
export async function postEvents(path, body, onEvent, signal) {
  let response;
  try {
    response = await fetch(path, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "text/event-stream" },
      body: JSON.stringify(body),
      signal,
    });
  } catch (error) {
    if (error.name === "AbortError") throw error;
    throw new ApiError(0, `could not reach the server (${error.message})`);
  }
  if (!response.ok) {
    const data = await parse(response);
    throw new ApiError(response.status, (data && data.detail) || `HTTP ${response.status}`);
  }
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  const flush = (block) => {
    let name = "message";
    const data = [];
    for (const line of block.split("\n")) {
      if (line.startsWith("event:")) name = line.slice(6).trim();
      else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
    }
    if (!data.length) return;
    let value = data.join("\n");
    try {
      value = JSON.parse(value);
    } catch {
      /* plain text data */
    }
    onEvent(name, value);
  };
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true }).replace(/\r\n/g, "\n");
    let cut;
    while ((cut = buffer.indexOf("\n\n")) >= 0) {
      flush(buffer.slice(0, cut));
      buffer = buffer.slice(cut + 2);
    }
  }
  buffer += decoder.decode();
  if (buffer.trim()) flush(buffer);
}
