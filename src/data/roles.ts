/**
 * Which columns of a dataset play which part in an analysis. A DGP declares them for what it
 * simulates; `mrsweep fit` builds them from its column flags for a user's file. Estimators read
 * roles only (src/estimators/fit.ts turns them into `IndividualData`), never a DGP's column names.
 */
export interface Roles {
  readonly outcome: string;
  readonly exposure: string;
  readonly instruments: readonly string[];
  /** Variables the effect may vary with: the contextualized estimators' encoder input (none if absent). */
  readonly context?: readonly string[];
  /** A column labelling each row's environment (population), for multi-environment designs. */
  readonly environment?: string;
  /**
   * A column numbering each row's sample in a two-sample design: 1 for the sample that gives the
   * instrument-exposure associations, 2 for the instrument-outcome one.
   */
  readonly sample?: string;
  /** A column identifying the sequence each row belongs to (units of per-sequence estimates). */
  readonly sequence?: string;
  /** A column numbering each row's split of a simulation: 0 training, 1 validation (invariance) or test (deep_mr_sim). */
  readonly split?: string;
  /**
   * A simulation's true latent variables (the invariance DGP's V, W and H): for oracles and
   * diagnostics only, never offered as instruments unless named.
   */
  readonly latent?: readonly string[];
  /**
   * The byte matrix of the frame (`Frame.bytes`, not a column) holding each row's sequence as base
   * codes, one byte each (0..3 = A, C, G, T): the input of sequence models (the deep_mr_sim DGP).
   */
  readonly bases?: string;
}

/** The roles that name one column each and are optional, in the order messages list them. */
export const LABEL_ROLES = ["environment", "sample", "sequence"] as const;

/** One of LABEL_ROLES. */
export type LabelRole = (typeof LABEL_ROLES)[number];
