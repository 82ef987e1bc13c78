# Confidence levels other than 95% (issue 14, item 3) and the GLMM's fit statistics (item 7):
# metafor's `level` argument for rma.uni (every estimator, z and knha, with the prediction
# interval and the Q-profile CI of tau2 and I2), rma.mh, rma.peto and rma.glmm, and logLik/AIC/BIC
# of rma.glmm. Sourced at the end of make_metafor_reference.R (which defines write_reference);
# to run it alone from the repository root, define write_reference first.
suppressPackageStartupMessages({
  library(metafor)
  library(jsonlite)
})

level_bcg <- escalc(measure = "RR", ai = dat.bcg$tpos, bi = dat.bcg$tneg, ci = dat.bcg$cpos,
                    di = dat.bcg$cneg)
level_sets <- list(
  bcg = list(yi = as.numeric(level_bcg$yi), vi = as.numeric(level_bcg$vi),
             note = "metadat::dat.bcg, log risk ratios (13 trials)"),
  small = list(yi = c(0.42, -0.10, 0.31, 0.75), vi = c(0.040, 0.090, 0.025, 0.160),
               note = "four studies, moderate heterogeneity"),
  homogeneous = list(yi = c(0.20, 0.22, 0.19, 0.21, 0.20), vi = c(0.01, 0.02, 0.015, 0.03, 0.02),
                     note = "tau2 on the 0 boundary")
)
level_cases <- list()
for (name in names(level_sets)) {
  d <- level_sets[[name]]
  for (level in c(90, 99)) {
    for (method in c("FE", "DL", "REML", "ML", "PM", "HS", "SJ", "HE", "EB")) {
      for (test in c("z", "knha")) {
        fit <- suppressWarnings(rma(d$yi, d$vi, method = method, test = test, level = level))
        pred <- predict(fit)
        pi_of <- function(side) {
          v <- pred[[paste0("pi.", side)]]
          if (is.null(v)) pred[[paste0("ci.", side)]] else v
        }
        ci <- if (method == "FE") NULL else suppressWarnings(confint(fit))
        random <- function(row, column) if (is.null(ci)) NA else ci$random[row, column]
        level_cases[[length(level_cases) + 1]] <- list(
          kind = "uni", dataset = name, level = level, method = method, test = test,
          yi = I(d$yi), vi = I(d$vi), estimate = as.numeric(fit$beta), se = fit$se,
          ci_lower = fit$ci.lb, ci_upper = fit$ci.ub, pi_lower = as.numeric(pi_of("lb")),
          pi_upper = as.numeric(pi_of("ub")), tau2 = fit$tau2,
          tau2_ci_lower = random("tau^2", "ci.lb"), tau2_ci_upper = random("tau^2", "ci.ub"),
          i2_ci_lower = random("I^2(%)", "ci.lb"), i2_ci_upper = random("I^2(%)", "ci.ub"))
      }
    }
  }
}
for (level in c(90, 99)) {
  for (measure in c("OR", "RR", "RD")) {
    fit <- rma.mh(ai = dat.bcg$tpos, n1i = dat.bcg$tpos + dat.bcg$tneg, ci = dat.bcg$cpos,
                  n2i = dat.bcg$cpos + dat.bcg$cneg, measure = measure, level = level)
    level_cases[[length(level_cases) + 1]] <- list(
      kind = "mh", dataset = "bcg", level = level, measure = measure, a = I(dat.bcg$tpos),
      n1 = I(dat.bcg$tpos + dat.bcg$tneg), c = I(dat.bcg$cpos),
      n2 = I(dat.bcg$cpos + dat.bcg$cneg), estimate = as.numeric(fit$beta), se = fit$se,
      ci_lower = fit$ci.lb, ci_upper = fit$ci.ub)
  }
  fit <- rma.peto(ai = dat.bcg$tpos, n1i = dat.bcg$tpos + dat.bcg$tneg, ci = dat.bcg$cpos,
                  n2i = dat.bcg$cpos + dat.bcg$cneg, level = level)
  level_cases[[length(level_cases) + 1]] <- list(
    kind = "peto", dataset = "bcg", level = level, a = I(dat.bcg$tpos),
    n1 = I(dat.bcg$tpos + dat.bcg$tneg), c = I(dat.bcg$cpos), n2 = I(dat.bcg$cpos + dat.bcg$cneg),
    estimate = as.numeric(fit$beta), se = fit$se, ci_lower = fit$ci.lb, ci_upper = fit$ci.ub)
}
# The GLMM at other levels, and its log-likelihood, AIC and BIC (ML, as rma.glmm reports them).
level_glmm_sets <- list(
  pritz1997 = list(xi = dat.pritz1997$xi, ni = dat.pritz1997$ni),
  mixed = list(xi = c(25, 12, 40, 8, 30, 18), ni = c(40, 30, 55, 20, 45, 45)),
  zero_cells = list(xi = c(0, 3, 10, 12, 5), ni = c(15, 20, 10, 30, 25)),
  homogeneous = list(xi = c(20, 21, 19, 22), ni = c(100, 100, 100, 100)),
  three_studies = list(xi = c(4, 9, 15), ni = c(20, 25, 30))
)
for (name in names(level_glmm_sets)) {
  d <- level_glmm_sets[[name]]
  for (level in c(90, 95, 99)) {
    fit <- suppressWarnings(rma.glmm(measure = "PLO", xi = d$xi, ni = d$ni, level = level))
    pred <- predict(fit)
    level_cases[[length(level_cases) + 1]] <- list(
      kind = "glmm", dataset = name, level = level, events = I(d$xi), totals = I(d$ni),
      estimate = as.numeric(fit$beta), se = fit$se, ci_lower = fit$ci.lb, ci_upper = fit$ci.ub,
      pi_lower = as.numeric(pred$pi.lb), pi_upper = as.numeric(pred$pi.ub), tau2 = fit$tau2,
      loglik = as.numeric(logLik(fit)), aic = AIC(fit), bic = BIC(fit))
  }
}
write_reference(level_cases, "metafor_levels.json",
                lme4_version = as.character(packageVersion("lme4")),
                datasets = lapply(level_sets, function(d) d$note))

# Fit statistics of rma.mh and rma.peto (ML column of fit.stats), with a double zero and zero cells.
fit_sets <- list(
  bcg = list(a = dat.bcg$tpos, n1 = dat.bcg$tpos + dat.bcg$tneg, c = dat.bcg$cpos,
             n2 = dat.bcg$cpos + dat.bcg$cneg),
  zeros = list(a = c(0, 2, 5, 0, 3), n1 = c(20, 25, 30, 15, 40), c = c(0, 4, 9, 2, 1),
               n2 = c(20, 24, 31, 16, 38))
)
fit_cases <- list()
for (name in names(fit_sets)) {
  d <- fit_sets[[name]]
  for (method in c("MH", "PETO")) {
    for (measure in if (method == "MH") c("OR", "RR", "RD") else "OR") {
      fit <- suppressWarnings(if (method == "MH")
        rma.mh(ai = d$a, n1i = d$n1, ci = d$c, n2i = d$n2, measure = measure)
        else rma.peto(ai = d$a, n1i = d$n1, ci = d$c, n2i = d$n2))
      fit_cases[[length(fit_cases) + 1]] <- list(
        dataset = name, method = method, measure = measure, a = I(d$a), n1 = I(d$n1),
        c = I(d$c), n2 = I(d$n2), estimate = as.numeric(fit$beta),
        loglik = fit$fit.stats["ll", "ML"], aic = fit$fit.stats["AIC", "ML"],
        bic = fit$fit.stats["BIC", "ML"])
    }
  }
}
write_reference(fit_cases, "metafor_fixed_fitstats.json")

# Leave-one-out and trim and fill keep the model's level (leave1out, trimfill).
sub_cases <- list()
for (level in c(90, 99)) {
  for (method in c("DL", "REML")) {
    for (test in c("z", "knha")) {
      fit <- rma(level_sets$bcg$yi, level_sets$bcg$vi, method = method, test = test,
                 level = level)
      l1o <- leave1out(fit)
      tf <- suppressWarnings(trimfill(fit))
      # metafor 3.8-1 refits the filled data at its default level (95%) whatever the model's
      # level; reportgen keeps the report's level, which is this refit at `level`.
      refit <- rma(tf$yi, tf$vi, method = method, level = level)
      sub_cases[[length(sub_cases) + 1]] <- list(
        dataset = "bcg", level = level, method = method, test = test,
        yi = I(level_sets$bcg$yi), vi = I(level_sets$bcg$vi),
        leave1out_ci_lower = I(as.numeric(l1o$ci.lb)),
        leave1out_ci_upper = I(as.numeric(l1o$ci.ub)),
        trimfill_k0 = tf$k0, trimfill_ci_lower = tf$ci.lb, trimfill_ci_upper = tf$ci.ub,
        trimfill_refit_ci_lower = refit$ci.lb, trimfill_refit_ci_upper = refit$ci.ub)
    }
  }
}
write_reference(sub_cases, "metafor_levels_subanalyses.json")
