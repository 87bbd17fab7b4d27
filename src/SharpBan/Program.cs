using SharpBan;

return SharpBanCommand.Run(args);
