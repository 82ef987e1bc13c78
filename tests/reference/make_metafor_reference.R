# Regenerates the reference values in tests/reference/*.json that the metafor tests (see
# tests/metafor_reference.py) check reportgen against. Run from the repository root:
#   Rscript tests/reference/make_metafor_reference.R
# Needs R with metafor and jsonlite (Debian: apt-get install -y r-cran-metafor r-cran-jsonlite).
suppressPackageStartupMessages({
  library(metafor)
  library(jsonlite)
})

# Every reference file records where it came from and the versions that produced it.
# pretty = TRUE puts each field on its own line (vectors stay on one line), so a regeneration
# shows in a diff as the values that changed; digits = NA keeps jsonlite's full 15 significant
# digits, the same numbers as the compact layout.
write_reference <- function(cases, file, ...) {
  header <- list(generated_by = "tests/reference/make_metafor_reference.R",
                 r_version = R.version.string,
                 metafor_version = as.character(packageVersion("metafor")))
  writeLines(toJSON(c(header, list(...), list(cases = cases)), auto_unbox = TRUE, digits = NA,
                    pretty = TRUE, na = "null"),
             file.path("tests/reference", file))
  cat("wrote", length(cases), "cases to", file, "\n")
}

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
    for (method in c("FE", "DL", "REML", "ML", "PM", "HS", "SJ", "HE", "EB")) {
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

write_reference(cases, "metafor_proportions.json",
                datasets = lapply(datasets, function(d) d$note))

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
write_reference(estimator_cases, "metafor_estimators.json",
                datasets = lapply(effect_sets, function(d) d$note))

# --- Two-arm binary (OR, RR, RD x inverse variance, MH, Peto), continuous (MD, SMD), generic ----
fit_fields <- function(fit, pred) {
  list(estimate = as.numeric(fit$beta), se = fit$se, statistic = fit$zval, p_value = fit$pval,
       ci_lower = fit$ci.lb, ci_upper = fit$ci.ub,
       pi_lower = as.numeric(if (is.null(pred$pi.lb)) pred$ci.lb else pred$pi.lb),
       pi_upper = as.numeric(if (is.null(pred$pi.ub)) pred$ci.ub else pred$pi.ub),
       tau2 = fit$tau2, i2 = fit$I2, h2 = fit$H2, q = fit$QE, q_p = fit$QEp,
       weights = I(as.numeric(weights(fit))))
}
binary_sets <- list(
  bcg = with(dat.bcg, list(a = tpos, n1 = tpos + tneg, c = cpos, n2 = cpos + cneg,
                           note = "metadat::dat.bcg")),
  zero_cells = list(a = c(0, 2, 5, 0, 8, 3), n1 = c(20, 35, 40, 15, 60, 25),
                    c = c(3, 6, 9, 0, 12, 3), n2 = c(22, 33, 41, 16, 58, 24),
                    note = "single-zero and double-zero studies"),
  yusuf = with(dat.collins1985b[!is.na(dat.collins1985b$pre.xti), ],
               list(a = pre.xti, n1 = pre.nti, c = pre.xci, n2 = pre.nci,
                    note = "metadat::dat.collins1985b (pre-eclampsia)"))
)
type_cases <- list()
add_case <- function(case) type_cases[[length(type_cases) + 1]] <<- case
for (name in names(binary_sets)) {
  d <- binary_sets[[name]]
  for (measure in c("OR", "RR", "RD")) {
    es <- escalc(measure = measure, ai = d$a, n1i = d$n1, ci = d$c, n2i = d$n2)
    for (method in c("FE", "DL", "REML", "ML", "PM", "HS", "SJ", "HE", "EB")) {
      for (test in c("z", "knha")) {
        fit <- suppressWarnings(rma(es$yi, es$vi, method = method, test = test))
        add_case(c(list(dataset = name, type = "binary", measure = measure, method = method,
                        test = test, a = I(d$a), n1 = I(d$n1), c = I(d$c), n2 = I(d$n2),
                        yi = I(as.numeric(es$yi)), vi = I(as.numeric(es$vi))),
                   fit_fields(fit, predict(fit))))
      }
    }
    fit <- suppressWarnings(rma.mh(ai = d$a, n1i = d$n1, ci = d$c, n2i = d$n2, measure = measure))
    add_case(c(list(dataset = name, type = "binary", measure = measure, method = "MH",
                    test = "z", a = I(d$a), n1 = I(d$n1), c = I(d$c), n2 = I(d$n2)),
               fit_fields(fit, predict(fit))))
  }
  es <- escalc(measure = "PETO", ai = d$a, n1i = d$n1, ci = d$c, n2i = d$n2)
  fit <- suppressWarnings(rma.peto(ai = d$a, n1i = d$n1, ci = d$c, n2i = d$n2))
  add_case(c(list(dataset = name, type = "binary", measure = "OR", method = "PETO", test = "z",
                  a = I(d$a), n1 = I(d$n1), c = I(d$c), n2 = I(d$n2),
                  yi = I(as.numeric(es$yi)), vi = I(as.numeric(es$vi))),
             fit_fields(fit, predict(fit))))
}
continuous_sets <- list(
  normand = with(dat.normand1999, list(m1 = m1i, sd1 = sd1i, n1 = n1i, m2 = m2i, sd2 = sd2i,
                                       n2 = n2i, note = "metadat::dat.normand1999")),
  small_trials = list(m1 = c(5.1, 4.2, 6.3, 5.0), sd1 = c(1.2, 1.5, 2.0, 1.1),
                      n1 = c(12, 8, 15, 3), m2 = c(4.0, 4.5, 5.1, 4.4),
                      sd2 = c(1.1, 1.4, 1.8, 0.9), n2 = c(11, 9, 14, 2),
                      note = "small samples (bias correction matters)")
)
for (name in names(continuous_sets)) {
  d <- continuous_sets[[name]]
  for (measure in c("MD", "SMD")) {
    es <- escalc(measure = measure, m1i = d$m1, sd1i = d$sd1, n1i = d$n1, m2i = d$m2,
                 sd2i = d$sd2, n2i = d$n2)
    for (method in c("FE", "DL", "REML", "ML", "PM", "HS", "SJ", "HE", "EB")) {
      for (test in c("z", "knha")) {
        fit <- suppressWarnings(rma(es$yi, es$vi, method = method, test = test))
        add_case(c(list(dataset = name, type = "continuous", measure = measure, method = method,
                        test = test, m1 = I(d$m1), sd1 = I(d$sd1), n1 = I(d$n1), m2 = I(d$m2),
                        sd2 = I(d$sd2), n2 = I(d$n2), yi = I(as.numeric(es$yi)),
                        vi = I(as.numeric(es$vi))),
                   fit_fields(fit, predict(fit))))
      }
    }
  }
}
# Generic inverse variance: hazard ratios reported with 95% CIs, and mean differences with SEs.
hr <- c(0.72, 0.85, 0.64, 1.05, 0.78); hr_lb <- c(0.55, 0.70, 0.45, 0.80, 0.60)
hr_ub <- c(0.94, 1.03, 0.91, 1.38, 1.01)
hr_yi <- log(hr); hr_vi <- ((log(hr_ub) - log(hr_lb)) / (2 * qnorm(0.975)))^2
md <- c(-1.2, -0.4, -2.1, 0.3); md_se <- c(0.5, 0.3, 0.9, 0.6)
for (method in c("FE", "DL", "REML", "ML", "PM", "HS", "SJ", "HE", "EB")) {
  for (test in c("z", "knha")) {
    fit <- rma(hr_yi, hr_vi, method = method, test = test)
    add_case(c(list(dataset = "hazard_ratios", type = "generic", measure = "HR", method = method,
                    test = test, estimate_in = I(hr), ci_lower_in = I(hr_lb),
                    ci_upper_in = I(hr_ub), yi = I(hr_yi), vi = I(hr_vi)),
               fit_fields(fit, predict(fit))))
    fit <- rma(md, md_se^2, method = method, test = test)
    add_case(c(list(dataset = "mean_differences", type = "generic", measure = "MD",
                    method = method, test = test, estimate_in = I(md), se_in = I(md_se),
                    yi = I(md), vi = I(md_se^2)),
               fit_fields(fit, predict(fit))))
  }
}
write_reference(type_cases, "metafor_types.json")

# --- Subgroups, leave-one-out, Egger, Begg and trim-and-fill ----------------------------------
asym <- list(yi = c(0.10, 0.25, 0.32, 0.45, 0.52, 0.60, 0.71, 0.80, 0.95, 1.10, 0.15, 0.40),
             vi = c(0.01, 0.02, 0.03, 0.05, 0.06, 0.08, 0.10, 0.12, 0.15, 0.20, 0.015, 0.04))
analysis_sets <- list(
  bcg = list(yi = bcg$yi, vi = bcg$vi, group = as.character(dat.bcg$alloc),
             note = "metadat::dat.bcg log RR, subgroups by allocation"),
  pritz = list(yi = pritz$yi, vi = pritz$vi, group = rep(c("early", "late"), each = 7),
               note = "metadat::dat.pritz1997 logits, two halves as subgroups"),
  asymmetric = c(asym, list(group = rep(c("a", "b", "c"), 4),
                            note = "funnel asymmetry: trim and fill imputes studies"))
)
analysis_cases <- list()
for (name in names(analysis_sets)) {
  d <- analysis_sets[[name]]
  for (method in c("FE", "DL", "REML", "PM")) {
    fit <- suppressWarnings(rma(d$yi, d$vi, method = method))
    l1o <- leave1out(fit)
    egger <- regtest(fit, model = "lm")
    begg <- suppressWarnings(ranktest(fit))
    tf <- suppressWarnings(trimfill(fit))
    levels <- unique(d$group)
    groups <- lapply(levels, function(g) {
      sub <- suppressWarnings(rma(d$yi[d$group == g], d$vi[d$group == g], method = method))
      list(value = g, k = sub$k, estimate = as.numeric(sub$beta), se = sub$se, tau2 = sub$tau2,
           ci_lower = sub$ci.lb, ci_upper = sub$ci.ub)
    })
    between <- rma(sapply(groups, `[[`, "estimate"), sei = sapply(groups, `[[`, "se"),
                   method = "FE")
    analysis_cases[[length(analysis_cases) + 1]] <- list(
      dataset = name, method = method, yi = I(as.numeric(d$yi)), vi = I(as.numeric(d$vi)),
      group = I(d$group),
      leave_one_out = list(estimate = I(l1o$estimate), se = I(l1o$se), ci_lower = I(l1o$ci.lb),
                           ci_upper = I(l1o$ci.ub),
                           tau2 = if (is.null(l1o$tau2)) NA else I(l1o$tau2),
                           i2 = I(l1o$I2), q = I(l1o$Q), q_p = I(l1o$Qp)),
      egger = list(statistic = egger$zval, p_value = egger$pval),
      begg = list(statistic = as.numeric(begg$tau), p_value = begg$pval),
      trimfill = list(k0 = tf$k0, side = tf$side, estimate = as.numeric(tf$beta), se = tf$se,
                      ci_lower = tf$ci.lb, ci_upper = tf$ci.ub, tau2 = tf$tau2),
      subgroups = list(groups = groups, q_between = between$QE, q_between_df = between$k - 1,
                       q_between_p = between$QEp)
    )
  }
}
write_reference(analysis_cases, "metafor_analyses.json",
                datasets = lapply(analysis_sets, function(d) d$note))

# --- Random-effects logistic model (rma.glmm, measure PLO, lme4 with nAGQ = 7) ---------------
glmm_sets <- list(
  pritz1997 = list(xi = dat.pritz1997$xi, ni = dat.pritz1997$ni),
  mixed = list(xi = c(25, 12, 40, 8, 30, 18), ni = c(40, 30, 55, 20, 45, 45)),
  zero_cells = list(xi = c(0, 3, 10, 12, 5), ni = c(15, 20, 10, 30, 25)),
  rare = list(xi = c(1, 0, 2, 1, 0, 3, 1), ni = c(50, 40, 80, 60, 45, 90, 70)),
  homogeneous = list(xi = c(20, 21, 19, 22), ni = c(100, 100, 100, 100)),
  high_heterogeneity = list(xi = c(5, 40, 12, 60, 3, 33, 50, 9), ni = c(50, 60, 40, 80, 45, 50, 70, 90)),
  three_studies = list(xi = c(4, 9, 15), ni = c(20, 25, 30)),
  # Two studies (issue 14): the leave-one-out subsets of three_studies, and 100% studies that
  # made an undamped search for the conditional modes cycle.
  three_studies_without_1 = list(xi = c(9, 15), ni = c(25, 30)),
  three_studies_without_2 = list(xi = c(4, 15), ni = c(20, 30)),
  three_studies_without_3 = list(xi = c(4, 9), ni = c(20, 25)),
  two_studies = list(xi = c(10, 30), ni = c(50, 60)),
  two_studies_one_full = list(xi = c(12, 10), ni = c(12, 40)),
  two_studies_full_and_half = list(xi = c(50, 20), ni = c(50, 100)),
  zero_full_and_partial = list(xi = c(0, 5, 6), ni = c(10, 5, 12)),
  # No finite maximum (only 0% and 100% studies): lme4 stops somewhere up the ridge
  # (tau2 about 26,000); reportgen refuses to report an estimate.
  zero_and_full_only = list(xi = c(0, 5), ni = c(10, 5))
)
glmm_cases <- list()
for (name in names(glmm_sets)) {
  d <- glmm_sets[[name]]
  fit <- try(suppressWarnings(rma.glmm(measure = "PLO", xi = d$xi, ni = d$ni)), silent = TRUE)
  if (inherits(fit, "try-error")) {
    glmm_cases[[length(glmm_cases) + 1]] <- list(dataset = name, events = I(d$xi),
                                                 totals = I(d$ni), failed = TRUE)
    next
  }
  pred <- predict(fit)
  glmm_cases[[length(glmm_cases) + 1]] <- list(
    dataset = name, events = I(d$xi), totals = I(d$ni), failed = FALSE,
    estimate = as.numeric(fit$beta), se = fit$se, statistic = fit$zval, p_value = fit$pval,
    ci_lower = fit$ci.lb, ci_upper = fit$ci.ub, pi_lower = as.numeric(pred$pi.lb),
    pi_upper = as.numeric(pred$pi.ub), tau2 = fit$tau2, i2 = fit$I2, h2 = fit$H2,
    q = fit$QE.LRT, q_p = fit$QEp.LRT)
}
write_reference(glmm_cases, "metafor_glmm.json",
                lme4_version = as.character(packageVersion("lme4")))

# --- Fit statistics and the SE of tau2 (issue 14, item 7) -------------------------------------
# logLik/AIC/BIC as metafor reports them (REML values for REML fits, ML values otherwise).
fitstat_cases <- list()
for (name in names(effect_sets)) {
  d <- effect_sets[[name]]
  for (method in c("FE", "DL", "REML", "ML", "PM", "HS", "SJ", "HE", "EB")) {
    fit <- suppressWarnings(rma(d$yi, d$vi, method = method))
    fitstat_cases[[length(fitstat_cases) + 1]] <- list(
      dataset = name, method = method, yi = I(as.numeric(d$yi)), vi = I(as.numeric(d$vi)),
      tau2 = fit$tau2, loglik = as.numeric(logLik(fit)), aic = AIC(fit), bic = BIC(fit),
      tau2_se = if (is.null(fit$se.tau2)) NA else fit$se.tau2)
  }
}
write_reference(fitstat_cases, "metafor_fitstats.json",
                datasets = lapply(effect_sets, function(d) d$note))

# --- Edge cases (issue 14): MH on double zeros, trim and fill after Knapp-Hartung, ------------
# leave-one-out rows metafor cannot fit.
edge_cases <- list()
add_edge <- function(case) edge_cases[[length(edge_cases) + 1]] <<- case
double_zero <- list(a = c(0, 0, 0), n1 = c(10, 12, 8), c = c(0, 0, 0), n2 = c(11, 9, 10))
all_full <- list(a = c(10, 12, 8), n1 = c(10, 12, 8), c = c(11, 9, 10), n2 = c(11, 9, 10))
for (tables in list(list(name = "all_double_zero", d = double_zero),
                    list(name = "all_full", d = all_full))) {
  d <- tables$d
  for (measure in c("OR", "RR", "RD")) {
    fit <- suppressWarnings(rma.mh(ai = d$a, n1i = d$n1, ci = d$c, n2i = d$n2,
                                   measure = measure))
    add_edge(list(kind = "mh", dataset = tables$name, measure = measure, a = I(d$a),
                  n1 = I(d$n1), c = I(d$c), n2 = I(d$n2), estimate = as.numeric(fit$beta),
                  se = fit$se, ci_lower = fit$ci.lb, ci_upper = fit$ci.ub))
  }
}
trimfill_sets <- c(analysis_sets, effect_sets[c("homogeneous", "normand_md")])  # k0 = 0 too
for (name in names(trimfill_sets)) {
  d <- trimfill_sets[[name]]
  for (method in c("FE", "DL", "REML")) {
    fit <- suppressWarnings(rma(d$yi, d$vi, method = method, test = "knha"))
    tf <- suppressWarnings(trimfill(fit))
    add_edge(list(kind = "trimfill_knha", dataset = name, method = method,
                  yi = I(as.numeric(d$yi)), vi = I(as.numeric(d$vi)), k0 = tf$k0,
                  test = tf$test, estimate = as.numeric(tf$beta), se = tf$se,
                  ci_lower = tf$ci.lb, ci_upper = tf$ci.ub))
  }
}
# Paule-Mandel passes its upper bound (max(100, 10 mad(y)^2)) when the first study is left out.
pm_fails <- list(yi = c(0, 0.1, 20, 20.1), vi = c(0.01, 0.02, 0.015, 0.01))
fit <- rma(pm_fails$yi, pm_fails$vi, method = "PM")
l1o <- suppressWarnings(leave1out(fit))
add_edge(list(kind = "leave1out_fails", dataset = "pm_fails", method = "PM",
              yi = I(pm_fails$yi), vi = I(pm_fails$vi), estimate = as.numeric(fit$beta),
              leave_one_out = list(estimate = I(as.numeric(l1o$estimate)),
                                   se = I(as.numeric(l1o$se)))))
write_reference(edge_cases, "metafor_edges.json")

# --- Zero-cell options (escalc add/to/drop00) and rma.mh's correct, CMH and Tarone tests ------
zero_cases <- list()
zc_binary <- binary_sets[c("zero_cells", "bcg")]
for (name in names(zc_binary)) {
  d <- zc_binary[[name]]
  for (measure in c("OR", "RR", "RD", "PETO")) {
    for (to in c("only0", "all", "if0all", "none")) {
      for (add in c(0.5, 1)) {
        for (drop00 in c(FALSE, TRUE)) {
          es <- escalc(measure = measure, ai = d$a, n1i = d$n1, ci = d$c, n2i = d$n2, add = add,
                       to = to, drop00 = drop00)
          zero_cases[[length(zero_cases) + 1]] <- list(
            kind = "binary", dataset = name, measure = measure, add = add, to = to,
            drop00 = drop00, a = I(d$a), n1 = I(d$n1), c = I(d$c), n2 = I(d$n2),
            yi = I(as.numeric(es$yi)), vi = I(as.numeric(es$vi)))
        }
      }
    }
  }
  for (correct in c(TRUE, FALSE)) {
    fit <- suppressWarnings(rma.mh(ai = d$a, n1i = d$n1, ci = d$c, n2i = d$n2, measure = "OR",
                                   correct = correct))
    zero_cases[[length(zero_cases) + 1]] <- list(
      kind = "mh", dataset = name, correct = correct, a = I(d$a), n1 = I(d$n1), c = I(d$c),
      n2 = I(d$n2), estimate = as.numeric(fit$beta), q = fit$QE, cmh = fit$MH,
      cmh_p = fit$MHp, tarone = fit$TA, tarone_p = fit$TAp)
  }
}
d <- datasets$zero_cells
for (measure in c("PR", "PLO", "PLN", "PAS", "PFT")) {
  for (to in c("only0", "all", "if0all", "none")) {
    for (add in list(NULL, 0.5, 1)) {
      es <- if (is.null(add)) escalc(measure = measure, xi = d$xi, ni = d$ni, to = to)
            else escalc(measure = measure, xi = d$xi, ni = d$ni, add = add, to = to)
      zero_cases[[length(zero_cases) + 1]] <- list(
        kind = "proportion", dataset = "zero_cells", measure = measure,
        add = if (is.null(add)) NA else add, to = to, events = I(d$xi), totals = I(d$ni),
        yi = I(as.numeric(es$yi)), vi = I(as.numeric(es$vi)))
    }
  }
}
write_reference(zero_cases, "metafor_zero_cells.json")
source("tests/reference/metafor_levels.R")
source("tests/reference/metafor_metareg.R")
source("tests/reference/metafor_rates.R")
source("tests/reference/metafor_multilevel.R")
