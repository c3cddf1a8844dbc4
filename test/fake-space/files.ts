/**
 * The Space's output files: stored in memory under a `/tmp/gradio/<hash>/<name>` path and served at
 * `{P}/file=<path>` only (routes.py file(): on the app in 4.x, on the `/gradio_api` router in 5+).
 */
import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { sendJson } from './http-util';
import { mimeOf } from './images';
import type { FileOut } from './job';
import type { ImageFormat } from './types';

const MAX_FILES = 500;

export class FileStore {
  private readonly files = new Map<string, { bytes: Buffer; type: string }>();

  constructor(
    private readonly format: ImageFormat,
    private readonly fileOutput: 'filedata' | 'path-only' | 'string',
    private readonly urlBase: () => string,
  ) {}

  /** data_classes.py FileData (path, url, size, orig_name, mime_type, is_stream, meta). */
  store(bytes: Buffer, name: string): FileOut {
    const path = `/tmp/gradio/${randomBytes(20).toString('hex')}/${name}.${this.format}`;
    this.files.set(path, { bytes, type: mimeOf(this.format) });
    if (this.files.size > MAX_FILES) this.files.delete(this.files.keys().next().value!);
    if (this.fileOutput === 'string') return path;
    const file: Record<string, unknown> = {
      path,
      url: `${this.urlBase()}/file=${path}`,
      size: bytes.length,
      orig_name: `${name}.${this.format}`,
      mime_type: null,
      is_stream: false,
      meta: { _type: 'gradio.FileData' },
    };
    if (this.fileOutput === 'path-only') delete file.url;
    return file;
  }

  /**
   * routes.py upload_file: each uploaded file lands in the upload folder (GRADIO_TEMP_DIR,
   * /tmp/gradio/<hash>/<name>), and the route answers the list of those paths.
   */
  upload(bytes: Buffer, name: string, type: string): string {
    const safe = name.replace(/[/\\]/g, '_') || 'file';
    const path = `/tmp/gradio/${randomBytes(20).toString('hex')}/${safe}`;
    this.files.set(path, { bytes, type: type || 'application/octet-stream' });
    if (this.files.size > MAX_FILES) this.files.delete(this.files.keys().next().value!);
    return path;
  }

  /** A stored or uploaded file's bytes (what the Space can read back), or null. */
  read(path: string): Buffer | null {
    return this.files.get(path)?.bytes ?? null;
  }

  send(res: ServerResponse, path: string): void {
    const file = this.files.get(path.slice(path.indexOf('/file=') + '/file='.length));
    if (!file) return sendJson(res, 404, { detail: 'File not found' });
    res.writeHead(200, { 'content-type': file.type, 'content-length': file.bytes.length, 'cache-control': 'no-store' });
    res.end(file.bytes);
  }
}
