import { z } from 'zod';

type Patch<T extends z.ZodRawShape> = {
  [K in keyof T]: z.ZodOptional<T[K] extends z.ZodDefault<infer Inner> ? Inner : T[K]>;
};

/**
 * The schema of an edit: every field optional and none defaulted. Zod 4's `.partial()` keeps
 * `.default()`s, so `{ priceMinor: 450 }` would come out with `stripePriceId: null, active: true`
 * and an edit of one field would silently reset the others (a plan's Stripe link among them).
 */
export function patchSchema<T extends z.ZodRawShape>(
  schema: z.ZodObject<T, z.core.$strict>,
): z.ZodObject<Patch<T>, z.core.$strict> {
  const shape = Object.fromEntries(
    Object.entries(schema.shape).map(([key, field]) => [
      key,
      ((field instanceof z.ZodDefault ? field.unwrap() : field) as z.ZodType).optional(),
    ]),
  );
  return z.strictObject(shape) as unknown as z.ZodObject<Patch<T>, z.core.$strict>;
}
