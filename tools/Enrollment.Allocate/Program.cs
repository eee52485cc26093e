using Enrollment.Allocate;

return AllocateCommand.Run(args, Console.Out, Console.Error);
