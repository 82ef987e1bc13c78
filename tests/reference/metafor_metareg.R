# Meta-regression references: rma(yi, vi, mods = ~ ..., method, test) for every tau2 estimator,
# z and Knapp-Hartung, with 1 and 2 moderators, continuous and categorical, and predict() at
# chosen moderator values. Sourced at the end of make_metafor_reference.R (which defines
# write_reference); to run alone from the repository root:
#   Rscript -e 'suppressPackageStartupMessages({library(metafor); library(jsonlite)});
#     source(textConnection(readLines("tests/reference/make_metafor_reference.R")[1:22]));
#     source("tests/reference/metafor_metareg.R")'
# Character moderators are factors with their levels in sorted order (model.matrix's coding).

metareg_bcg <- escalc(measure = "RR", ai = tpos, bi = tneg, ci = cpos, di = cneg, data = dat.bcg)
metareg_sets <- list(
  bcg = list(
    yi = as.numeric(metareg_bcg$yi), vi = as.numeric(metareg_bcg$vi),
    moderators = list(ablat = metareg_bcg$ablat, year = metareg_bcg$year,
                      alloc = metareg_bcg$alloc),
    note = "metadat::dat.bcg, log risk ratios (metafor's own meta-regression example)"),
  raudenbush = list(
    yi = as.numeric(dat.raudenbush1985$yi), vi = as.numeric(dat.raudenbush1985$vi),
    moderators = list(weeks = dat.raudenbush1985$weeks, tester = dat.raudenbush1985$tester,
                      setting = dat.raudenbush1985$setting),
    note = "metadat::dat.raudenbush1985, standardised mean differences"),
  homogeneous = list(
    yi = c(0.10, 0.14, 0.09, 0.16, 0.12, 0.11), vi = c(0.02, 0.03, 0.025, 0.04, 0.03, 0.05),
    moderators = list(dose = c(1, 2, 1, 3, 2, 2), arm = c(TRUE, FALSE, TRUE, FALSE, TRUE, FALSE)),
    note = "tau2 on the 0 boundary (R2 0 or the intercept-only tau2 0); a true/false moderator"),
  case_levels = list(
    yi = c(0.42, -0.10, 0.05, 0.61, 0.30, -0.22, 0.12, 0.55, 0.18),
    vi = c(0.03, 0.05, 0.04, 0.06, 0.02, 0.05, 0.03, 0.07, 0.04),
    moderators = list(group = c("b", "B", "alternate", "Random", "b", "B", "alternate",
                                "Random", "b")),
    note = "levels differing only in case: R's collation order (alternate, b, B, Random)"),
  outliers = list(
    yi = c(0.01, 0.02, 0, 0.01, 0.02, 30, -30), vi = rep(0.01, 7),
    moderators = list(dose = c(1, 2, 3, 4, 5, 6, 7)),
    note = "two extreme studies: Paule-Mandel fails as in metafor ('tau2.max' too low), R2 0"),
  minimum = list(
    yi = c(-0.5, 0.2, 0.9), vi = c(0.04, 0.05, 0.03),
    moderators = list(dose = c(10, 20, 40)),
    note = "k = p + 1: one residual degree of freedom")
)
metareg_models <- list(
  list(set = "bcg", mods = c("ablat"), predict_at = list(list(ablat = 13), list(ablat = 55))),
  list(set = "bcg", mods = c("year"), predict_at = list(list(year = 1950))),
  list(set = "bcg", mods = c("ablat", "year"), predict_at = list(list(ablat = 30, year = 1960))),
  list(set = "bcg", mods = c("alloc"),
       predict_at = list(list(alloc = "alternate"), list(alloc = "systematic"))),
  list(set = "bcg", mods = c("ablat", "alloc"),
       predict_at = list(list(ablat = 13, alloc = "random"))),
  list(set = "raudenbush", mods = c("weeks"), predict_at = list(list(weeks = 0))),
  list(set = "raudenbush", mods = c("tester"), predict_at = list(list(tester = "blind"))),
  list(set = "raudenbush", mods = c("weeks", "setting"),
       predict_at = list(list(weeks = 3, setting = "indiv"))),
  list(set = "homogeneous", mods = c("dose"), predict_at = list(list(dose = 2))),
  list(set = "homogeneous", mods = c("arm"), predict_at = list(list(arm = TRUE))),
  list(set = "case_levels", mods = c("group"), predict_at = list(list(group = "B"))),
  list(set = "outliers", mods = c("dose"), predict_at = list(list(dose = 4))),
  list(set = "minimum", mods = c("dose"), predict_at = list(list(dose = 30)))
)

# The design row of a prediction: model.matrix of the data with the point appended.
metareg_newmods <- function(frame, point) {
  full <- rbind(frame, as.data.frame(point, stringsAsFactors = FALSE))
  X <- model.matrix(reformulate(names(frame)), data = full)
  X[nrow(X), -1, drop = TRUE]
}

metareg_cases <- list()
for (spec in metareg_models) {
  d <- metareg_sets[[spec$set]]
  frame <- as.data.frame(d$moderators[spec$mods], stringsAsFactors = FALSE)
  for (method in c("FE", "DL", "REML", "ML", "PM", "HS", "SJ", "HE", "EB")) {
    for (test in c("z", "knha")) {
      case <- list(set = spec$set, moderators = spec$mods, method = method, test = test)
      fit <- try(suppressWarnings(rma(d$yi, d$vi, mods = reformulate(spec$mods), data = frame,
                                      method = method, test = test)), silent = TRUE)
      if (inherits(fit, "try-error")) {
        case$error <- conditionMessage(attr(fit, "condition"))
        metareg_cases[[length(metareg_cases) + 1]] <- case
        next
      }
      predictions <- lapply(spec$predict_at, function(point) {
        p <- predict(fit, newmods = metareg_newmods(frame, point))
        list(at = point, estimate = p$pred, se = p$se, ci_lower = p$ci.lb, ci_upper = p$ci.ub,
             pi_lower = if (is.null(p$pi.lb)) p$ci.lb else p$pi.lb,
             pi_upper = if (is.null(p$pi.ub)) p$ci.ub else p$pi.ub)
      })
      metareg_cases[[length(metareg_cases) + 1]] <- c(case, list(
        terms = rownames(fit$beta), levels = lapply(frame, function(x) sort(unique(x))),
        coefficients = lapply(seq_along(fit$beta), function(i) list(
          estimate = fit$beta[i], se = fit$se[i], statistic = fit$zval[i], p_value = fit$pval[i],
          ci_lower = fit$ci.lb[i], ci_upper = fit$ci.ub[i])),
        qm = fit$QM, qm_df = fit$QMdf[1], qm_p = fit$QMp, qe = fit$QE, qe_df = fit$k - fit$p,
        qe_p = fit$QEp, tau2 = fit$tau2, i2 = fit$I2, h2 = fit$H2,
        r2 = if (is.null(fit$R2) || is.na(fit$R2)) NULL else fit$R2,
        predictions = predictions))
    }
  }
}
write_reference(metareg_cases, "metafor_metareg.json",
                datasets = lapply(metareg_sets, function(d) list(
                  note = d$note, yi = I(d$yi), vi = I(d$vi), moderators = d$moderators)))
