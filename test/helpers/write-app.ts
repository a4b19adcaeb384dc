import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { createServer } from '../../src/server/create-server.js';

/** Writes a throwaway app from an object literal (objects become JSON) and returns its folder. */
export function writeApp(files: Record<string, string | object>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'atoll-test-'));
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(root, name);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  }
  return root;
}

export interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

/** A real server for `root` with its log lines captured. */
export async function startApp(
  root: string,
  options: {
    mode?: 'production' | 'development';
    ssrTimeoutMs?: number;
    now?: () => number;
    streamMinChars?: number;
    purgeToken?: string;
    cookieSecret?: string;
    withoutFragmentCache?: boolean;
  } = {},
) {
  const logs: LogLine[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line !== '') logs.push(JSON.parse(line) as LogLine);
      done();
    },
  });
  const server = await createServer({
    root,
    mode: options.mode ?? 'production',
    ssrTimeoutMs: options.ssrTimeoutMs ?? 5000,
    ...(options.now === undefined ? {} : { now: options.now }),
    ...(options.streamMinChars === undefined ? {} : { streamMinChars: options.streamMinChars }),
    ...(options.purgeToken === undefined ? {} : { purgeToken: options.purgeToken }),
    ...(options.cookieSecret === undefined ? {} : { cookieSecret: options.cookieSecret }),
    ...(options.withoutFragmentCache === undefined ? {} : { withoutFragmentCache: options.withoutFragmentCache }),
    logLevel: 'info',
    logStream: stream,
    // The server runs inside the test process, so its event-loop delay measures the test too
    // (Chromium's client, fast-check, other work of a busy machine): a test's page was shed with
    // 503 and the test then read the overload page. Load shedding is tested in limits.test.ts on
    // its own server; here it is off (under-pressure treats 0 as "do not check").
    overload: { maxEventLoopDelayMs: 0 },
  });
  await server.ready();
  return { server, logs };
}

/** A Lit component module's source: `render` is the body of a render() returning html`…`. */
export function litComponent(tag: string, options: { properties?: string; render: string; extra?: string; styles?: string }): string {
  return `import { LitElement, html, css } from 'lit';
export class C extends LitElement {
  static properties = { ${options.properties ?? ''} };
  ${options.styles ? `static styles = css\`${options.styles}\`;` : ''}
  render() { return html\`${options.render}\`; }
}
customElements.define('${tag}', C);
${options.extra ?? ''}
`;
}
