/** The context variables of the study, in its coefficient order. */
export const CONTEXT_NAMES = [
  "age",
  "sex",
  "bmi",
  "smoker",
  "height",
  "weight",
  "bp_sys",
  "cholesterol",
  "glucose",
  "sleep",
] as const;
