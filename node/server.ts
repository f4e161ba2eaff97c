import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import type { NodeRuntime } from './compose';

/** A node listening on its port. */
export interface RunningNode {
  runtime: NodeRuntime;
  url: string;
  port: number;
  /** Stops accepting connections, lets in-flight requests finish (bounded), then closes the database. */
  stop(): Promise<void>;
}

/** Starts the HTTP server for a composed node on `host:port` (port 0 picks a free one). */
export async function listen(runtime: NodeRuntime, host: string, port: number): Promise<RunningNode> {
  const server = await new Promise<ServerType>((resolve, reject) => {
    const s = serve({ fetch: runtime.app.fetch, hostname: host, port }, () => resolve(s));
    s.once('error', (err: NodeJS.ErrnoException) => {
      const why = err.code === 'EADDRINUSE' ? 'the address is already in use' : err.code === 'EACCES' ? 'permission denied' : err.message;
      reject(new Error(`cannot listen on ${host}:${port}: ${why} (${err.code ?? 'error'}); choose another port (--port, PORT, or --base-port for the demo)`, { cause: err }));
    });
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let stopping: Promise<void> | undefined;
  return {
    runtime,
    port: address.port,
    url: `http://${shownHost}:${address.port}`,
    stop() {
      stopping ??= (async () => {
        await new Promise<void>((resolve) => {
          const force = setTimeout(() => {
            if ('closeAllConnections' in server) server.closeAllConnections();
          }, 5000);
          server.close(() => {
            clearTimeout(force);
            resolve();
          });
          if ('closeIdleConnections' in server) server.closeIdleConnections();
        });
        await runtime.close();
      })();
      return stopping;
    },
  };
}
