using SharpBan;

return SharpBanCommand.Parse(args).Invoke();
