/** Numeric constants shared by the iterative routines in the gamma, beta and Student t modules. */

/** Machine epsilon 2^-52: the relative convergence tolerance of the series and iterations. */
export const EPS = 2.220446049250313e-16;
/** Iteration cap for the series and continued fractions. */
export const MAX_ITER = 100_000;
