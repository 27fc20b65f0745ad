import Foundation

/// The numbers a Pong match is played by. Lengths are in court units (the court is 800 by 600,
/// y downwards), speeds in court units per second, angles in radians from the horizontal.
public struct PongRules: Sendable, Equatable {
    /// The server steps every match this many times a second; clients interpolate between steps.
    public var ticksPerSecond = 60
    public var pointsToWin = 11
    public var courtWidth = 800.0
    public var courtHeight = 600.0
    public var paddleHeight = 100.0
    public var paddleWidth = 12.0
    /// From the court's side line to the back of the paddle.
    public var paddleInset = 24.0
    /// The ball is a square of this side.
    public var ballSize = 12.0
    public var paddleSpeed = 480.0
    public var serveSpeed = 360.0
    /// Each paddle hit makes the ball this much faster, up to `maximumBallSpeed`.
    public var speedUpPerHit = 1.06
    public var maximumBallSpeed = 960.0
    /// A ball that hits a paddle's end leaves at this angle; one that hits its middle, straight.
    public var maximumBounceAngle = Double.pi / 3
    /// A serve leaves at a random angle up to this.
    public var maximumServeAngle = Double.pi / 7
    /// Before each serve, the ball waits this long at the centre.
    public var servePauseTicks = 60
    /// A player away this long (10 s) forfeits the match.
    public var forfeitAfterTicks = 600

    public init() {}

    var secondsPerTick: Double { 1 / Double(ticksPerSecond) }
}
