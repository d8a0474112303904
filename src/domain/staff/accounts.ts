// Staff accounts: invite, set a password through a one-time link, change role, deactivate, reset
// the second factor. Every change is audited; every change of who may do what ends the person's
// sessions.
import type { Models } from '../../data/models';
import { staffQueries } from '../../data/staff.queries';
import { claimQueries } from '../../data/claim.queries';
import type { StaffDoc } from '../../data/staff.model';
import { ConflictError, DuplicateError, NotFoundError, isDuplicateKeyError } from '../../errors';
import { escapeHtml } from '../../html';
import type { Mailer } from '../../mail/mailer';
import type { AdminRole } from './admin-token';
import type { Actor, AuditLog } from '../audit';
import { claimOnce } from '../claims';
import { normalizeEmail } from '../email-address';
import { InvalidTokenError } from '../link-token';
import type { PasswordLink, PasswordLinks } from './password-links';
import { assertAcceptablePassword, type PasswordHasher } from './passwords';
import type { StaffSessions } from './sessions';

export interface StaffView {
  id: string;
  email: string;
  name: string;
  role: AdminRole;
  status: 'invited' | 'active' | 'deactivated';
  totpEnabled: boolean;
  failedAttempts: number;
  lastLoginAt: Date | null;
  createdAt: Date | null;
}

export function staffView(s: StaffDoc): StaffView {
  return {
    id: String(s._id),
    email: s.email,
    name: s.name ?? '',
    role: s.role as AdminRole,
    status: s.status as StaffView['status'],
    totpEnabled: Boolean(s.totpSecret),
    failedAttempts: s.failedAttempts ?? 0,
    lastLoginAt: s.lastLoginAt ?? null,
    createdAt: (s as { createdAt?: Date }).createdAt ?? null,
  };
}

/** Staff addresses compare whole, case-insensitively (unlike subscribers' local parts). */
export function staffEmail(input: unknown): string {
  return normalizeEmail(input).toLowerCase();
}

const HEX24 = /^[0-9a-f]{24}$/;
const ADMIN_CHANGE_LOCK = 'staff:admin-change';
const ADMIN_CHANGE_LOCK_MS = 30_000;

export type MailedLink = PasswordLink & { mailed: boolean };

export class StaffAccounts {
  constructor(
    private readonly deps: {
      models: Models;
      hasher: PasswordHasher;
      links: PasswordLinks;
      sessions: StaffSessions;
      mailer: Mailer;
      audit: AuditLog;
      now: () => Date;
    },
  ) {}

  async list(): Promise<StaffView[]> {
    const all = await staffQueries.all(this.deps.models).lean();
    return all.map((s) => staffView(s as StaffDoc));
  }

  async get(id: string): Promise<StaffView> {
    return staffView(await this.load(id));
  }

  /** Creates an invited account and mails (and returns) its one-time link to set a password. */
  async invite(input: { email: string; role: AdminRole; name?: string }, actor: Actor): Promise<{ staff: StaffView; link: MailedLink }> {
    const email = staffEmail(input.email);
    let doc: StaffDoc;
    try {
      doc = (await this.deps.models.staff.create({ email, name: input.name ?? '', role: input.role, status: 'invited' })).toObject() as StaffDoc;
    } catch (err) {
      if (isDuplicateKeyError(err)) throw new DuplicateError(`a staff account for ${email} exists already`);
      throw err;
    }
    const link = await this.mailLink(doc);
    await this.deps.audit.record(actor, 'staff.invite', email, { role: input.role });
    return { staff: staffView(doc), link };
  }

  /** A new one-time link for an existing account (a forgotten password, a lost invitation). */
  async reissueLink(id: string, actor: Actor): Promise<{ staff: StaffView; link: MailedLink }> {
    const doc = await this.load(id);
    if (doc.status === 'deactivated') throw new ConflictError('the account is deactivated');
    const link = await this.mailLink(doc);
    await this.deps.audit.record(actor, 'staff.password-link', doc.email);
    return { staff: staffView(doc), link };
  }

  /** Sets the password named by a one-time link; the account becomes active and its sessions end. */
  async setPassword(token: unknown, password: string, ip?: string): Promise<StaffView> {
    const link = this.deps.links.verify(token);
    assertAcceptablePassword(password);
    const doc = await staffQueries.byId(this.deps.models, link.staffId).lean<StaffDoc>();
    if (!doc || doc.status === 'deactivated') throw new InvalidTokenError('the link no longer applies');
    await this.deps.links.consume(link);
    const now = this.deps.now();
    await staffQueries.activateWithPassword(this.deps.models, link.staffId, await this.deps.hasher.hash(password), now);
    await this.deps.sessions.revokeAll(link.staffId);
    await this.deps.audit.record({ sub: doc.email, role: doc.role, ip }, 'staff.password.set', doc.email);
    return staffView({ ...doc, status: 'active' });
  }

  async changeRole(id: string, role: AdminRole, actor: Actor): Promise<StaffView> {
    const doc = await this.load(id);
    if (doc.email === actor.sub) throw new ConflictError('you cannot change your own role', { reason: 'self' });
    if (role === doc.role) return staffView(doc);
    await this.keepingAnAdmin(doc, role === 'admin', () => staffQueries.setRole(this.deps.models, id, role));
    const ended = await this.deps.sessions.revokeAll(id);
    await this.deps.audit.record(actor, 'staff.role', doc.email, { from: doc.role, to: role, sessionsEnded: ended });
    return staffView({ ...doc, role });
  }

  async deactivate(id: string, actor: Actor): Promise<StaffView> {
    const doc = await this.load(id);
    if (doc.email === actor.sub) throw new ConflictError('you cannot deactivate your own account', { reason: 'self' });
    if (doc.status === 'deactivated') return staffView(doc);
    await this.keepingAnAdmin(doc, false, () => staffQueries.deactivate(this.deps.models, id));
    const ended = await this.deps.sessions.revokeAll(id);
    await this.deps.audit.record(actor, 'staff.deactivate', doc.email, { sessionsEnded: ended });
    return staffView({ ...doc, status: 'deactivated' });
  }

  /**
   * Runs a change to an account, refusing it when it would leave no active admin (nobody could
   * manage staff any more; a Bearer token is not a person). Changes that take an active admin away
   * run one at a time: two admins demoting each other at once would otherwise both see the other
   * one still there. The lock is a claim (an insert into a unique index, atomic on FerretDB too)
   * that expires, so a crash cannot keep it.
   */
  private async keepingAnAdmin(doc: StaffDoc, staysAdmin: boolean, change: () => Promise<unknown>): Promise<void> {
    const losesAnAdmin = doc.role === 'admin' && doc.status === 'active' && !staysAdmin;
    if (!losesAnAdmin) {
      await change();
      return;
    }
    const { models, now } = this.deps;
    const at = now();
    await claimQueries.releaseIfExpired(models, ADMIN_CHANGE_LOCK, at);
    if (!(await claimOnce(models, ADMIN_CHANGE_LOCK, new Date(at.getTime() + ADMIN_CHANGE_LOCK_MS)))) {
      throw new ConflictError('another change to the administrators is under way; try again', { reason: 'busy' });
    }
    try {
      const admins = await staffQueries.activeAdmins(models).lean();
      if (!admins.some((a) => String(a._id) !== String(doc._id))) {
        throw new ConflictError('this is the last active admin: make someone else an admin first', { reason: 'last_admin' });
      }
      await change();
    } finally {
      await claimQueries.release(models, ADMIN_CHANGE_LOCK);
    }
  }

  /** Removes the second factor (a lost phone); the person enrols again at the next sign-in. */
  async resetTotp(id: string, actor: Actor): Promise<StaffView> {
    const doc = await this.load(id);
    await staffQueries.removeTotp(this.deps.models, id);
    const ended = await this.deps.sessions.revokeAll(id);
    await this.deps.audit.record(actor, 'staff.totp.reset', doc.email, { sessionsEnded: ended });
    return staffView({ ...doc, totpSecret: undefined });
  }

  private async load(id: string): Promise<StaffDoc> {
    if (!HEX24.test(id)) throw new NotFoundError('staff member');
    const doc = await staffQueries.byId(this.deps.models, id).lean<StaffDoc>();
    if (!doc) throw new NotFoundError('staff member');
    return doc;
  }

  private async mailLink(doc: StaffDoc): Promise<MailedLink> {
    const link = this.deps.links.issue(String(doc._id));
    const hours = Math.round((link.expiresAt.getTime() - this.deps.now().getTime()) / 3_600_000);
    const lv = `Labdien! Lai iestatītu paroli e-Jaunumi konsolei, atveriet šo saiti (derīga ${hours} h, izmantojama vienu reizi):`;
    const en = `Hello! To set your password for the e-Jaunumi console, open this link (valid for ${hours} h, usable once):`;
    try {
      await this.deps.mailer.send({
        to: doc.email,
        subject: 'e-Jaunumi: paroles iestatīšana / set your password',
        text: `${lv}\n${link.url}\n\n${en}\n${link.url}\n`,
        html: `<p>${escapeHtml(lv)}</p><p><a href="${escapeHtml(link.url)}">${escapeHtml(link.url)}</a></p><p>${escapeHtml(en)}</p>`,
      });
      return { ...link, mailed: true };
    } catch {
      // The account exists and the link is valid: the CLI prints it, an admin can send a new one.
      return { ...link, mailed: false };
    }
  }
}
