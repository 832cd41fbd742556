import { z } from 'zod';
import { listUsers } from '../domain/users/list-users.ts';
import { memberProcedure, router } from '../trpc.ts';
import { userOutput } from './schemas.ts';

const adminProcedure = memberProcedure({ platformAdmin: true });

const adminUserOutput = userOutput.extend({
  roles: z.array(z.object({ tenantId: z.string(), role: z.enum(['owner', 'admin', 'staff']) })),
});

export const adminRouter = router({
  users: router({
    list: adminProcedure
      .input(z.object({ search: z.string().max(254, { error: 'TOO_LONG' }).optional() }).optional())
      .output(z.array(adminUserOutput))
      .query(({ ctx, input }) => listUsers(ctx.db, { search: input?.search })),
  }),
});
