/** This gateway's sockets per user: the first one in and the last one out are what presence reports. */
export class LocalSockets {
  private readonly byUser = new Map<string, Set<string>>();

  /** True when this is the user's first socket on this gateway. */
  add(userId: string, socketId: string): boolean {
    const sockets = this.byUser.get(userId);
    if (sockets) {
      sockets.add(socketId);
      return false;
    }
    this.byUser.set(userId, new Set([socketId]));
    return true;
  }

  /** True when this was the user's last socket on this gateway. */
  remove(userId: string, socketId: string): boolean {
    const sockets = this.byUser.get(userId);
    if (!sockets?.delete(socketId)) return false;
    if (sockets.size > 0) return false;
    this.byUser.delete(userId);
    return true;
  }

  has(userId: string): boolean {
    return this.byUser.has(userId);
  }

  users(): string[] {
    return [...this.byUser.keys()];
  }
}
