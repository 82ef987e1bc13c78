"""Full references for the methods the appendix names, keyed by the short citation used in
the text ("Viechtbauer 2005"). ``methods_references`` returns those a report's methods cite."""

from __future__ import annotations

import re

METHOD_REFERENCES = {
    "DerSimonian and Laird 1986": "DerSimonian R, Laird N. Meta-analysis in clinical trials. "
    "Controlled Clinical Trials 1986;7(3):177-188.",
    "Viechtbauer 2005": "Viechtbauer W. Bias and efficiency of meta-analytic variance "
    "estimators in the random-effects model. Journal of Educational and Behavioral Statistics "
    "2005;30(3):261-293.",
    "Viechtbauer 2007": "Viechtbauer W. Confidence intervals for the amount of heterogeneity in "
    "meta-analysis. Statistics in Medicine 2007;26(1):37-52.",
    "Paule and Mandel 1982": "Paule RC, Mandel J. Consensus values and weighting factors. "
    "Journal of Research of the National Bureau of Standards 1982;87(5):377-385.",
    "Hunter and Schmidt 2004": "Hunter JE, Schmidt FL. Methods of Meta-Analysis: Correcting "
    "Error and Bias in Research Findings. 2nd ed. Sage; 2004.",
    "Sidik and Jonkman 2005": "Sidik K, Jonkman JN. Simple heterogeneity variance estimation "
    "for meta-analysis. Journal of the Royal Statistical Society C 2005;54(2):367-384.",
    "Hedges 1983": "Hedges LV. A random effects model for effect sizes. Psychological Bulletin "
    "1983;93(2):388-395.",
    "Morris 1983": "Morris CN. Parametric empirical Bayes inference: theory and applications. "
    "Journal of the American Statistical Association 1983;78(381):47-55.",
    "Mantel and Haenszel 1959": "Mantel N, Haenszel W. Statistical aspects of the analysis of "
    "data from retrospective studies of disease. Journal of the National Cancer Institute "
    "1959;22(4):719-748.",
    "Robins, Breslow and Greenland 1986": "Robins J, Breslow N, Greenland S. Estimators of the "
    "Mantel-Haenszel variance consistent in both sparse data and large-strata limiting models. "
    "Biometrics 1986;42(2):311-323.",
    "Greenland and Robins 1985": "Greenland S, Robins JM. Estimation of a common effect "
    "parameter from sparse follow-up data. Biometrics 1985;41(1):55-68.",
    "Yusuf et al. 1985": "Yusuf S, Peto R, Lewis J, Collins R, Sleight P. Beta blockade during "
    "and after myocardial infarction: an overview of the randomized trials. Progress in "
    "Cardiovascular Diseases 1985;27(5):335-371.",
    "Stijnen et al. 2010": "Stijnen T, Hamza TH, Ozdemir P. Random effects meta-analysis of "
    "event outcome in the framework of the generalized linear mixed model with applications in "
    "sparse data. Statistics in Medicine 2010;29(29):3046-3067.",
    "Knapp and Hartung 2003": "Knapp G, Hartung J. Improved tests for a random effects "
    "meta-regression with a single covariate. Statistics in Medicine 2003;22(17):2693-2710.",
    "Higgins and Thompson 2002": "Higgins JPT, Thompson SG. Quantifying heterogeneity in a "
    "meta-analysis. Statistics in Medicine 2002;21(11):1539-1558.",
    "Egger et al. 1997": "Egger M, Davey Smith G, Schneider M, Minder C. Bias in meta-analysis "
    "detected by a simple, graphical test. BMJ 1997;315(7109):629-634.",
    "Begg and Mazumdar 1994": "Begg CB, Mazumdar M. Operating characteristics of a rank "
    "correlation test for publication bias. Biometrics 1994;50(4):1088-1101.",
    "Duval and Tweedie 2000": "Duval S, Tweedie R. Trim and fill: a simple funnel-plot-based "
    "method of testing and adjusting for publication bias in meta-analysis. Biometrics "
    "2000;56(2):455-463.",
    "Viechtbauer 2010": "Viechtbauer W. Conducting meta-analyses in R with the metafor package. "
    "Journal of Statistical Software 2010;36(3):1-48.",
    "Guyatt et al. 2008": "Guyatt GH, Oxman AD, Vist GE, et al. GRADE: an emerging consensus on "
    "rating quality of evidence and strength of recommendations. BMJ 2008;336(7650):924-926.",
}


def methods_references(paragraphs: list[str]) -> list[str]:
    """Full references for every short citation that appears in ``paragraphs``, in order of
    first appearance."""
    text = " ".join(paragraphs)
    found = sorted(
        (match.start(), key)
        for key in METHOD_REFERENCES
        for match in [re.search(re.escape(key), text)]
        if match
    )
    return [METHOD_REFERENCES[key] for _, key in found]
