# Incidence rates (issue 14 item 2): escalc's IR, IRLN, IRS, IRFT (single arm) and IRR, IRD, IRSD
# (two arms) with every rma.uni estimator and test, escalc's zero-count options, and rma.mh for
# IRR and IRD. Sourced at the end of make_metafor_reference.R (which defines write_reference);
# alone: Rscript -e 'source("tests/reference/make_metafor_reference.R")' or, after defining
# write_reference, source("tests/reference/metafor_rates.R").

rate_datasets <- list(
  hart1999 = list(x1 = dat.hart1999$x1i, t1 = dat.hart1999$t1i,
                  x2 = dat.hart1999$x2i, t2 = dat.hart1999$t2i,
                  note = "metadat::dat.hart1999 (warfarin, strokes per patient-year)"),
  nielweise2008 = list(x1 = dat.nielweise2008$x1i, t1 = dat.nielweise2008$t1i,
                       x2 = dat.nielweise2008$x2i, t2 = dat.nielweise2008$t2i,
                       note = "metadat::dat.nielweise2008 (catheter infections per catheter-day)"),
  zeros = list(x1 = c(0, 3, 10, 0, 4), t1 = c(100, 200, 50, 80, 120),
               x2 = c(2, 0, 5, 0, 9), t2 = c(90, 150, 60, 70, 110),
               note = "zero counts, one double zero"),
  two_studies = list(x1 = c(4, 9), t1 = c(300, 410), x2 = c(8, 12), t2 = c(280, 390),
                     note = "k = 2")
)

rate_back <- function(measure) {
  switch(measure, IR = function(x, ...) x, IRLN = function(x, ...) exp(x),
         IRS = function(x, ...) x^2, IRFT = function(x, targs) transf.iirft(x, targs$ti),
         IRR = function(x, ...) exp(x), IRD = function(x, ...) x, IRSD = function(x, ...) x)
}

rate_cases <- list()
pi_or_ci <- function(p, side) {
  v <- p[[paste0("pi.", side)]]
  if (is.null(v)) p[[paste0("ci.", side)]] else v
}
for (name in names(rate_datasets)) {
  d <- rate_datasets[[name]]
  for (measure in c("IR", "IRLN", "IRS", "IRFT", "IRR", "IRD", "IRSD")) {
    single <- measure %in% c("IR", "IRLN", "IRS", "IRFT")
    es <- if (single) escalc(measure, xi = d$x1, ti = d$t1)
          else escalc(measure, x1i = d$x1, t1i = d$t1, x2i = d$x2, t2i = d$t2)
    # The IRFT back-transformation uses the harmonic mean of the person-time (reportgen's choice,
    # as transf.ipft.hm does for proportions).
    hm <- 1 / mean(1 / d$t1)
    for (method in c("FE", "DL", "REML", "ML", "PM", "HS", "SJ", "HE", "EB")) {
      for (test in c("z", "knha")) {
        fit <- tryCatch(suppressWarnings(rma(yi, vi, data = es, method = method, test = test)),
                        error = function(e) NULL)
        if (is.null(fit)) next
        pred <- predict(fit)
        nat <- predict(fit, transf = rate_back(measure), targs = list(ti = hm))
        rate_cases[[length(rate_cases) + 1]] <- list(
          kind = "uni", dataset = name, measure = measure, method = method, test = test,
          x1 = I(d$x1), t1 = I(d$t1), x2 = I(d$x2), t2 = I(d$t2),
          yi = I(as.numeric(es$yi)), vi = I(as.numeric(es$vi)),
          estimate = as.numeric(fit$beta), se = fit$se, statistic = fit$zval,
          p_value = fit$pval, ci_lower = fit$ci.lb, ci_upper = fit$ci.ub,
          pi_lower = as.numeric(pi_or_ci(pred, "lb")), pi_upper = as.numeric(pi_or_ci(pred, "ub")),
          tau2 = fit$tau2, i2 = fit$I2, h2 = fit$H2, q = fit$QE, q_p = fit$QEp,
          natural = list(estimate = as.numeric(nat$pred), ci_lower = as.numeric(nat$ci.lb),
                         ci_upper = as.numeric(nat$ci.ub),
                         pi_lower = as.numeric(pi_or_ci(nat, "lb")),
                         pi_upper = as.numeric(pi_or_ci(nat, "ub"))))
      }
    }
  }
  for (measure in c("IRR", "IRD")) {
    for (correct in c(TRUE, FALSE)) {
      fit <- suppressWarnings(rma.mh(x1i = d$x1, t1i = d$t1, x2i = d$x2, t2i = d$t2,
                                     measure = measure, correct = correct))
      rate_cases[[length(rate_cases) + 1]] <- list(
        kind = "mh", dataset = name, measure = measure, correct = correct,
        x1 = I(d$x1), t1 = I(d$t1), x2 = I(d$x2), t2 = I(d$t2),
        estimate = as.numeric(fit$beta), se = fit$se, statistic = fit$zval,
        p_value = fit$pval, ci_lower = fit$ci.lb, ci_upper = fit$ci.ub,
        i2 = fit$I2, h2 = fit$H2, q = fit$QE, q_p = fit$QEp,
        cmh = if (is.null(fit$MH)) NA else fit$MH, cmh_p = if (is.null(fit$MHp)) NA else fit$MHp)
    }
  }
}
# escalc's zero-count options on the data set with zeros
d <- rate_datasets$zeros
for (measure in c("IR", "IRLN", "IRS", "IRFT", "IRR", "IRD", "IRSD")) {
  single <- measure %in% c("IR", "IRLN", "IRS", "IRFT")
  for (to in c("only0", "all", "if0all", "none")) {
    for (add in list(NULL, 0.5, 1)) {
      for (drop00 in c(FALSE, TRUE)) {
        if (single && drop00) next
        args <- list(measure = measure, to = to, drop00 = drop00)
        if (!is.null(add)) args$add <- add
        args <- if (single) c(args, list(xi = d$x1, ti = d$t1))
                else c(args, list(x1i = d$x1, t1i = d$t1, x2i = d$x2, t2i = d$t2))
        es <- suppressWarnings(do.call(escalc, args))
        rate_cases[[length(rate_cases) + 1]] <- list(
          kind = "escalc", dataset = "zeros", measure = measure,
          add = if (is.null(add)) NA else add, to = to, drop00 = drop00,
          x1 = I(d$x1), t1 = I(d$t1), x2 = I(d$x2), t2 = I(d$t2),
          yi = I(as.numeric(es$yi)), vi = I(as.numeric(es$vi)))
      }
    }
  }
}
write_reference(rate_cases, "metafor_rates.json")
