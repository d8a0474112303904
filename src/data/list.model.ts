import { Schema, type Connection, type InferSchemaType } from 'mongoose';

export const DEFAULT_LIST = 'e-jaunumi';
/** What a list slug may look like; also the check on every slug that arrives from a form or API. */
export const LIST_SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;

const localized = { lv: { type: String, required: true }, en: { type: String, required: true } };

const listSchema = new Schema(
  {
    slug: { type: String, required: true, match: LIST_SLUG },
    name: localized,
    description: { lv: { type: String, default: '' }, en: { type: String, default: '' } },
    // Public lists are offered on the sign-up page; others are filled by import or admin only.
    public: { type: Boolean, default: true },
  },
  { timestamps: true },
);
// Lookup by slug from every sign-up, campaign and unsubscribe page.
listSchema.index({ slug: 1 }, { unique: true });

export type ListDoc = InferSchemaType<typeof listSchema>;
export const listModel = (conn: Connection) => conn.model('List', listSchema, 'lists');
