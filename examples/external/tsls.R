# Two-stage least squares as an external mrsweep estimator (base R; `Rscript tsls.R aer` uses
# AER::ivreg instead, if installed). X on [1, G], then Y on [1, X_hat]; the standard error from the
# residuals Y - b X on n - 2 degrees of freedom and a t interval, as mrsweep's built-in tsls.

here <- dirname(normalizePath(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE)[1])))
source(file.path(here, "mrsweep-client.R"))

t_row <- function(b, se, df, f) {
  q <- qt(0.975, df)
  list(estimate = b, se = se, ci_lower = b - q * se, ci_upper = b + q * se,
       p = 2 * pt(-abs(b / se), df), extras = list(first_stage_f = f))
}

first_stage_f <- function(x, g) {
  first <- lm(x ~ g)
  unname(summary(first)$fstatistic["value"])
}

tsls <- function(task) {
  y <- task$columns[[task$roles$outcome]]
  x <- task$columns[[task$roles$exposure]]
  g <- mrsweep_instruments(task)
  y <- y - mean(y)
  x <- x - mean(x)
  g <- sweep(g, 2L, colMeans(g))
  xhat <- g %*% solve(crossprod(g), crossprod(g, x))
  ess <- sum(xhat^2)
  b <- sum(xhat * y) / ess
  n <- length(y)
  se <- sqrt(sum((y - b * x)^2) / (n - 2) / ess)
  t_row(b, se, n - 2, (ess / ncol(g)) / ((sum(x^2) - ess) / (n - ncol(g) - 1)))
}

tsls_aer <- function(task) {
  y <- task$columns[[task$roles$outcome]]
  x <- task$columns[[task$roles$exposure]]
  g <- mrsweep_instruments(task)
  fit <- AER::ivreg(y ~ x | g)
  est <- summary(fit)$coefficients["x", ]
  t_row(unname(est["Estimate"]), unname(est["Std. Error"]), fit$df.residual, first_stage_f(x, g))
}

use_aer <- "aer" %in% commandArgs(TRUE)
if (use_aer && !requireNamespace("AER", quietly = TRUE)) stop("tsls.R aer: the AER package must be installed")
mrsweep_serve(if (use_aer) tsls_aer else tsls)
