# Regenerates metafor_proportions.json: the reference values that tests/test_pooling_metafor.py
# checks reportgen against. Run from the repository root:
#   Rscript tests/reference/make_metafor_reference.R
# Needs R with metafor and jsonlite (Debian: apt-get install -y r-cran-metafor r-cran-jsonlite).
suppressPackageStartupMessages({
  library(metafor)
  library(jsonlite)
})

datasets <- list(
  pritz1997 = list(xi = dat.pritz1997$xi, ni = dat.pritz1997$ni,
                   note = "metadat::dat.pritz1997 (14 studies, two at 100%)"),
  mixed = list(xi = c(25, 12, 40, 8, 30, 18), ni = c(40, 30, 55, 20, 45, 45),
               note = "moderate heterogeneity, no zero cells"),
  zero_cells = list(xi = c(0, 3, 10, 12, 5), ni = c(15, 20, 10, 30, 25),
                    note = "one 0% and one 100% study"),
  rare = list(xi = c(1, 0, 2, 1, 0, 3, 1), ni = c(50, 40, 80, 60, 45, 90, 70),
              note = "rare events with zero cells"),
  homogeneous = list(xi = c(20, 21, 19, 22), ni = c(100, 100, 100, 100),
                     note = "tau2 on the 0 boundary"),
  high_heterogeneity = list(xi = c(5, 40, 12, 60, 3, 33, 50, 9),
                            ni = c(50, 60, 40, 80, 45, 50, 70, 90),
                            note = "large tau2"),
  two_studies = list(xi = c(10, 30), ni = c(50, 60), note = "k = 2"),
  one_study = list(xi = c(12), ni = c(40), note = "k = 1")
)

back_transform <- function(measure) {
  switch(measure, PR = function(x, ...) x, PLO = transf.ilogit, PLN = function(x, ...) exp(x),
         PAS = transf.iarcsin, PFT = transf.ipft.hm)
}

cases <- list()
for (name in names(datasets)) {
  d <- datasets[[name]]
  for (measure in c("PR", "PLO", "PLN", "PFT", "PAS")) {
    es <- escalc(measure = measure, xi = d$xi, ni = d$ni)
    for (method in c("FE", "DL", "REML")) {
      for (test in c("z", "knha")) {
        fit <- suppressWarnings(rma(yi, vi, data = es, method = method, test = test))
        pred <- predict(fit)
        nat <- predict(fit, transf = back_transform(measure), targs = list(ni = d$ni))
        # metafor gives no prediction interval for a fixed-effect model; reportgen reports the CI.
        pi_of <- function(p, side) {
          v <- p[[paste0("pi.", side)]]
          if (is.null(v)) p[[paste0("ci.", side)]] else v
        }
        cases[[length(cases) + 1]] <- list(
          dataset = name, measure = measure, method = method, test = test,
          events = I(d$xi), totals = I(d$ni),  # I(): stay arrays when k = 1
          yi = I(as.numeric(es$yi)), vi = I(as.numeric(es$vi)),
          estimate = as.numeric(fit$beta), se = fit$se, statistic = fit$zval,
          p_value = fit$pval, ci_lower = fit$ci.lb, ci_upper = fit$ci.ub,
          pi_lower = as.numeric(pi_of(pred, "lb")), pi_upper = as.numeric(pi_of(pred, "ub")),
          tau2 = fit$tau2, i2 = fit$I2, h2 = fit$H2, q = fit$QE, q_df = fit$k - fit$p,
          q_p = fit$QEp, weights = I(as.numeric(weights(fit))),
          natural = list(estimate = as.numeric(nat$pred), ci_lower = as.numeric(nat$ci.lb),
                         ci_upper = as.numeric(nat$ci.ub), pi_lower = as.numeric(pi_of(nat, "lb")),
                         pi_upper = as.numeric(pi_of(nat, "ub")))
        )
      }
    }
  }
}

out <- list(
  generated_by = "tests/reference/make_metafor_reference.R",
  r_version = R.version.string,
  metafor_version = as.character(packageVersion("metafor")),
  datasets = lapply(datasets, function(d) d$note),
  cases = cases
)
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = FALSE, na = "null"),
           "tests/reference/metafor_proportions.json")
cat("wrote", length(cases), "cases\n")

# --- Every tau2 estimator x test on effect sizes of several kinds, with Q-profile CIs -----------
bcg <- escalc(measure = "RR", ai = tpos, bi = tneg, ci = cpos, di = cneg, data = dat.bcg)
normand <- escalc(measure = "MD", m1i = m1i, sd1i = sd1i, n1i = n1i, m2i = m2i, sd2i = sd2i,
                  n2i = n2i, data = dat.normand1999)
pritz <- escalc(measure = "PLO", xi = xi, ni = ni, data = dat.pritz1997)
effect_sets <- list(
  bcg_log_rr = list(yi = bcg$yi, vi = bcg$vi, note = "metadat::dat.bcg, log risk ratios"),
  normand_md = list(yi = normand$yi, vi = normand$vi,
                    note = "metadat::dat.normand1999, mean differences (large tau2)"),
  pritz_logit = list(yi = pritz$yi, vi = pritz$vi, note = "metadat::dat.pritz1997, logits"),
  homogeneous = list(yi = c(0.10, 0.12, 0.09, 0.11, 0.10), vi = c(0.02, 0.03, 0.025, 0.04, 0.03),
                     note = "tau2 on the 0 boundary for every estimator"),
  two_studies = list(yi = c(-0.4, 0.3), vi = c(0.05, 0.08), note = "k = 2")
)
estimator_cases <- list()
for (name in names(effect_sets)) {
  d <- effect_sets[[name]]
  for (method in c("FE", "DL", "REML", "ML", "PM", "HS", "SJ", "HE", "EB")) {
    for (test in c("z", "knha")) {
      fit <- suppressWarnings(rma(d$yi, d$vi, method = method, test = test))
      pred <- predict(fit)
      ci <- if (method == "FE") NULL else suppressWarnings(confint(fit))$random
      estimator_cases[[length(estimator_cases) + 1]] <- list(
        dataset = name, method = method, test = test,
        yi = I(as.numeric(d$yi)), vi = I(as.numeric(d$vi)),
        estimate = as.numeric(fit$beta), se = fit$se, statistic = fit$zval,
        p_value = fit$pval, ci_lower = fit$ci.lb, ci_upper = fit$ci.ub,
        pi_lower = as.numeric(if (is.null(pred$pi.lb)) pred$ci.lb else pred$pi.lb),
        pi_upper = as.numeric(if (is.null(pred$pi.ub)) pred$ci.ub else pred$pi.ub),
        tau2 = fit$tau2, i2 = fit$I2, h2 = fit$H2, q = fit$QE, q_df = fit$k - fit$p,
        q_p = fit$QEp, weights = I(as.numeric(weights(fit))),
        tau2_ci_lower = if (is.null(ci)) NA else ci["tau^2", "ci.lb"],
        tau2_ci_upper = if (is.null(ci)) NA else ci["tau^2", "ci.ub"],
        i2_ci_lower = if (is.null(ci)) NA else ci["I^2(%)", "ci.lb"],
        i2_ci_upper = if (is.null(ci)) NA else ci["I^2(%)", "ci.ub"]
      )
    }
  }
}
writeLines(toJSON(list(
  generated_by = "tests/reference/make_metafor_reference.R",
  r_version = R.version.string,
  metafor_version = as.character(packageVersion("metafor")),
  datasets = lapply(effect_sets, function(d) d$note),
  cases = estimator_cases
), auto_unbox = TRUE, digits = NA, pretty = FALSE, na = "null"),
"tests/reference/metafor_estimators.json")
cat("wrote", length(estimator_cases), "estimator cases\n")
