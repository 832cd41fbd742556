// Who this server process is, for every lease it holds (reservations, the scheduler). Host and pid
// help a person reading the tables; the random part makes it unique even when a restarted
// container reuses the pid, so a new process never mistakes an old process's leases for its own.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

export const INSTANCE_ID = `${hostname()}:${process.pid}:${randomBytes(6).toString('hex')}`;
