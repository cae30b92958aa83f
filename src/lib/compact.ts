/**
 * An object without its undefined members, typed so: a member that may be undefined becomes
 * optional (`{ a: string | undefined }` → `{ a?: string }`), as exactOptionalPropertyTypes wants.
 */
export type Compact<T> = { [K in keyof T as undefined extends T[K] ? never : K]: T[K] } & {
  [K in keyof T as undefined extends T[K] ? K : never]?: Exclude<T[K], undefined>;
};

export function compact<T extends Record<string, unknown>>(value: T): Compact<T> {
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) if (inner !== undefined) out[key] = inner;
  return out as Compact<T>;
}
