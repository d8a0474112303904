import { Schema, type Connection, type InferSchemaType } from 'mongoose';

export const STAFF_ROLES = ['marketer', 'dpo', 'admin'] as const;
export const STAFF_STATUSES = ['invited', 'active', 'deactivated'] as const;

// The persons authorised to see the data (privacy policy clause 3). The hash carries its own salt
// and scrypt parameters, so the cost can rise for new hashes without breaking old ones.
const passwordSchema = new Schema(
  {
    hash: { type: String, required: true },
    salt: { type: String, required: true },
    N: { type: Number, required: true },
    r: { type: Number, required: true },
    p: { type: Number, required: true },
    keyLength: { type: Number, required: true },
  },
  { _id: false, versionKey: false },
);

const staffSchema = new Schema(
  {
    email: { type: String, required: true },
    name: { type: String, default: '' },
    role: { type: String, enum: STAFF_ROLES, required: true },
    status: { type: String, enum: STAFF_STATUSES, required: true, default: 'invited' },
    password: { type: passwordSchema, required: false },
    passwordChangedAt: { type: Date },
    /** The TOTP secret, sealed (domain/staff/totp-secrets.ts), once enrolment is confirmed; absent: none yet. */
    totpSecret: { type: String },
    totpEnabledAt: { type: Date },
    /** Failures since the last successful sign-in (shown to admins; Redis holds the throttle). */
    failedAttempts: { type: Number, default: 0 },
    lastLoginAt: { type: Date },
  },
  { versionKey: false, timestamps: true },
);
// Sign-in and `staff add` look accounts up by address; one account per address.
staffSchema.index({ email: 1 }, { unique: true });

export type StaffDoc = InferSchemaType<typeof staffSchema> & { _id: unknown };
export const staffModel = (conn: Connection) => conn.model('Staff', staffSchema, 'staff');
