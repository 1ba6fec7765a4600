/**
 * torch.optim.lr_scheduler.ReduceLROnPlateau with PyTorch's defaults: mode "min", threshold 1e-4
 * relative, patience 20, factor 0.5, cooldown 0, min_lr 0, eps 1e-8. Called once per epoch with
 * the epoch's metric; a value counts as an improvement when it is below best · (1 − 1e-4); after
 * more than `patience` epochs in a row without one (the 21st), the learning rate is multiplied by
 * `factor` and the count starts again. As in PyTorch, a reduction smaller than eps is not made.
 * see: torch/optim/lr_scheduler.py ReduceLROnPlateau.step, _reduce_lr, _is_better
 */
export class Plateau {
  private best = Number.POSITIVE_INFINITY;
  private bad = 0;

  constructor(
    readonly factor = 0.5,
    readonly patience = 20,
    readonly threshold = 1e-4,
    readonly eps = 1e-8,
  ) {}

  /** The learning rate for the next epoch, after an epoch that ran at `lr` and scored `metric`. */
  step(metric: number, lr: number): number {
    if (metric < this.best * (1 - this.threshold)) {
      this.best = metric;
      this.bad = 0;
    } else {
      this.bad += 1;
    }
    if (this.bad <= this.patience) return lr;
    this.bad = 0;
    const next = lr * this.factor;
    return lr - next > this.eps ? next : lr;
  }
}
