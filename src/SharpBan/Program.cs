using SharpBan;

return SharpBanCommand.Create().Parse(args).Invoke();
