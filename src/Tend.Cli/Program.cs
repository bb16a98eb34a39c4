Console.WriteLine("tend");
