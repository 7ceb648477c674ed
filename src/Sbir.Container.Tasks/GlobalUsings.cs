// Tasks return System.Threading.Tasks.Task from their async core; MSBuild's Task base class is always named in full.
global using Task = System.Threading.Tasks.Task;
