# Three-level models (issue 14 item 5): rma.mv(yi, vi, random = ~ 1 | study/effect) with REML
# and ML, z and t tests, on metafor's own example (dat.konstantopoulos2011: schools within
# districts) and dat.assink2016 (effects within studies), plus small edge cases (one effect per
# study, a variance component on its boundary). The multilevel I2 per level is that of metafor's
# website (Cheung 2014): sigma2 / (sum(sigma2) + (k - p) / tr(P)), P from the weights 1/vi.
# Sourced at the end of make_metafor_reference.R (which defines write_reference).

multilevel_i2 <- function(fit, vi) {
  W <- diag(1 / vi, nrow = length(vi))
  X <- model.matrix(fit)
  P <- W - W %*% X %*% solve(t(X) %*% W %*% X) %*% t(X) %*% W
  100 * fit$sigma2 / (sum(fit$sigma2) + (fit$k - fit$p) / sum(diag(P)))
}

ml_datasets <- list(
  konstantopoulos2011 = with(dat.konstantopoulos2011,
                             list(yi = yi, vi = vi, study = district, effect = school,
                                  note = "metadat::dat.konstantopoulos2011 (metafor's example)")),
  assink2016 = with(dat.assink2016,
                    list(yi = yi, vi = vi, study = study, effect = esid,
                         note = "metadat::dat.assink2016 (17 studies, 100 effects)")),
  one_per_study = list(yi = c(0.1, 0.3, -0.2, 0.5, 0.25), vi = c(0.02, 0.03, 0.05, 0.04, 0.01),
                       study = 1:5, effect = rep(1, 5),
                       note = "one effect per study: the two components are not identified"),
  homogeneous = list(yi = c(0.20, 0.21, 0.19, 0.22, 0.20, 0.18, 0.21),
                     vi = c(0.02, 0.03, 0.02, 0.04, 0.03, 0.02, 0.05),
                     study = c(1, 1, 2, 2, 3, 3, 3), effect = c(1, 2, 1, 2, 1, 2, 3),
                     note = "no heterogeneity: both components on the 0 boundary")
)

ml_cases <- list()
for (name in names(ml_datasets)) {
  d <- ml_datasets[[name]]
  dat <- data.frame(yi = d$yi, vi = d$vi, study = d$study, effect = d$effect)
  for (method in c("REML", "ML")) {
    for (test in c("z", "t")) {
      fit <- rma.mv(yi, vi, random = ~ 1 | study/effect, data = dat, method = method,
                    test = test)
      pred <- predict(fit)
      stats <- fitstats(fit)
      ml_cases[[length(ml_cases) + 1]] <- list(
        dataset = name, method = method, test = test,
        yi = I(dat$yi), vi = I(dat$vi), study = I(as.character(dat$study)),
        effect = I(as.character(dat$effect)),
        estimate = as.numeric(fit$beta), se = fit$se, statistic = fit$zval, p_value = fit$pval,
        ci_lower = fit$ci.lb, ci_upper = fit$ci.ub,
        pi_lower = as.numeric(pred$pi.lb), pi_upper = as.numeric(pred$pi.ub),
        df = if (test == "t") fit$ddf[[1]] else NA,
        sigma2_between = fit$sigma2[1], sigma2_within = fit$sigma2[2],
        i2_between = multilevel_i2(fit, dat$vi)[1], i2_within = multilevel_i2(fit, dat$vi)[2],
        q = fit$QE, q_df = fit$k - fit$p, q_p = fit$QEp,
        loglik = stats[1, 1], deviance = stats[2, 1], aic = stats[3, 1], bic = stats[4, 1],
        weights = I(as.numeric(weights(fit))))
    }
  }
}
write_reference(ml_cases, "metafor_multilevel.json")
