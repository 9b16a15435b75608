namespace TorchLoss.Analysis.Claims;

/// <summary>The blog posts the analyses follow, cited by title (original title, an English gloss, the year).</summary>
public static class SourcePosts
{
    public const string WhySoftmaxRegressionDoesNotUseMse = "为什么Softmax回归不用MSE (Why softmax regression does not use MSE), 2022";

    public const string CrossEntropyAndMse = "机器学习基础之交叉熵和MSE (Cross-entropy and MSE), 2023";

    public const string MsePoorlyWithSoftmax = "Why mean squared error loss works poorly with softmax, 2023";
}
