/** Path of the dev server's server-sent events (changes → reload). */
export const DEV_EVENTS_PATH = '/_atoll/dev-events';

/**
 * The live-reload client inserted into every HTML page in development: it reloads the page on a
 * "reload" event, and when it reconnects to a server that was restarted (a new id in "hello").
 */
export function reloadClientScript(basePath: string): string {
  const url = JSON.stringify(basePath + DEV_EVENTS_PATH);
  return `<script type="module">const s=new EventSource(${url});let id;s.addEventListener('hello',(e)=>{if(id!==undefined&&id!==e.data)location.reload();id=e.data;});s.addEventListener('reload',()=>location.reload());</script>\n`;
}
