/// The exercise bank of the lecture, and the assignment that groups it.
public enum Bank {
    /// Every exercise with answers computed by the engine, in the lecture's order.
    public static let all: [Exercise] = [
        convOutputShape, convWeights, convMACs, groupedConvWeights, poolOutputSize,
        lrnValue, stackVersusLargeKernel, inceptionBottleneck, batchNormOutput, labelSmoothingTarget,
        resnetProjection, denseNetChannels, denseNetMemory, zooParameters, sgdMomentumUpdate, stepSchedule, plateauEpoch, adamStep,
        cifarResNetParameters, filterNormalization,
    ]

    /// The assignment of the CNN-architectures lecture.
    public static let cnnArchitectures = Assignment(
        id: "cnn-architectures",
        title: Localized(zh: "第 8 讲 CNN 架构：练习", en: "Lecture 8, CNN architectures: exercises"),
        exercises: all, codeExercises: codeExercises)

    /// Assignments by id (`course sheets --assignment ID`).
    public static let assignments: [Assignment] = [cnnArchitectures]

    public static func assignment(_ id: String) throws -> Assignment {
        guard let a = assignments.first(where: { $0.id == id }) else {
            throw GraderError("unknown assignment '\(id)'; available: \(assignments.map(\.id).joined(separator: ", "))")
        }
        return a
    }
}

/// A grader failure that stops a command (not a student's failure, which is a `CheckResult`).
public struct GraderError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

extension Bank {
    /// The exercise with `id` (a programmer error if there is none).
    public static func exercise(_ id: String) -> Exercise {
        guard let e = all.first(where: { $0.id == id }) else { preconditionFailure("Bank: no exercise '\(id)' (have \(all.map(\.id)))") }
        return e
    }
}
