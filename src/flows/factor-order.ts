/**
 * The one order of a subject's factors, newest first: sign-in challenges the first verified
 * one, and a confirmed enrolment removes the verified ones after it. Verify's `date_created`
 * has whole seconds, so two enrolments in the same second are told apart by SID; without that
 * tie-break each confirm would keep the other and only one would sign in.
 */
export function newestFirst(a: { dateCreated: Date; sid: string }, b: { dateCreated: Date; sid: string }): number {
  return b.dateCreated.getTime() - a.dateCreated.getTime() || (a.sid < b.sid ? 1 : a.sid > b.sid ? -1 : 0);
}
