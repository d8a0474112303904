import { Schema, type Connection, type InferSchemaType } from 'mongoose';

const policyVersionSchema = new Schema(
  {
    version: { type: Number, required: true, min: 1 },
    effectiveAt: { type: Date, required: true },
    // SHA-256 of the full policy text: a consent names the exact text in force.
    textHash: { type: String, required: true },
    text: { type: String, required: true },
    // The sentence shown beside the sign-up checkbox, per language.
    consentText: { lv: { type: String, required: true }, en: { type: String, required: true } },
    // The change alters what consent covers: older consents must be renewed (a re-consent campaign).
    material: { type: Boolean, default: false },
    // What the change is, in a sentence per language: the re-consent mail and page show it.
    changeSummary: { lv: { type: String }, en: { type: String } },
  },
  { timestamps: true },
);
// "Which version is in force now": the newest effective one; also unique so a number means one text.
policyVersionSchema.index({ version: 1 }, { unique: true });

export type PolicyVersionDoc = InferSchemaType<typeof policyVersionSchema>;
export const policyVersionModel = (conn: Connection) => conn.model('PolicyVersion', policyVersionSchema, 'policy_versions');
